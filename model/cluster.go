package model

import "github.com/selfhosted-hardening/selfhosted-hardening/graph"

// Cluster is a managed Kubernetes cluster the service runs on: its API
// endpoint and how it keeps Kubernetes Secrets (the license key, SMTP and
// database passwords).
type Cluster struct {
	Res *graph.Resource
	// Platform names the service in messages ("EKS").
	Platform string
	Endpoint Endpoint
	Secrets  SecretsEncryption
}

// Endpoint is the cluster's API endpoint: public or not, and the ranges a
// public one admits.
type Endpoint struct {
	// Public is whether the public endpoint is on; when absent, PublicDefault
	// is the platform's default.
	Public        Field[bool]
	PublicDefault bool
	// Ranges are the CIDRs a public endpoint admits; when none are set the
	// platform admits OpenTo.
	Ranges Field[[]string]
	OpenTo string
}

// SecretsEncryption is the cluster's envelope encryption of Secrets with a
// key management service key.
type SecretsEncryption struct {
	// Config is the block (or the key input) that turns it on: absent means
	// Secrets are stored without envelope encryption.
	Config Field[bool]
	// Covers lists the kinds of object the configuration encrypts; it must
	// include "secrets". Absent when the platform always covers Secrets.
	Covers Field[[]string]
	// CoversFixed is true when the platform always covers Secrets.
	CoversFixed bool
	// Key is the key the configuration names; KeyService the service that
	// holds it ("KMS").
	Key        Field[string]
	KeyService string
}
