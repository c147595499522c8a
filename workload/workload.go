// Package workload is the one view the container policies read: the
// containers of a stack, whatever runs them (ECS task definitions, through
// package taskdef; Kubernetes workloads, through package kube), each with its
// image and, per environment variable, where its value comes from. A policy
// that asks "does the API container set API_TLS_PRIVATE_KEY, from a secret
// store?" is written once against this view and holds for every platform.
package workload

import (
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Source says where a variable's value comes from.
type Source int

// Sources.
const (
	// Plain: written in the workload itself (an ECS environment entry, a
	// Kubernetes env value), so in the Pulumi state and the platform's API.
	Plain Source = iota + 1
	// SecretStore: read at start from a secret store (ECS secrets from
	// Secrets Manager or SSM Parameter Store, a Kubernetes Secret).
	SecretStore
	// ConfigMap: a Kubernetes ConfigMap, plain text like Plain.
	ConfigMap
	// Computed: filled in by the platform (Kubernetes fieldRef and
	// resourceFieldRef).
	Computed
)

func (s Source) String() string {
	switch s {
	case Plain:
		return "plain value"
	case SecretStore:
		return "secret store"
	case ConfigMap:
		return "ConfigMap"
	case Computed:
		return "computed"
	}
	return "unknown"
}

// InPlainText reports whether a value from this source is stored in plain
// text where the workload is defined.
func (s Source) InPlainText() bool { return s == Plain || s == ConfigMap }

// Var is one environment variable of a container.
type Var struct {
	Name string
	// Path locates it, e.g. containerDefinitions[0].environment[3] or
	// spec.template.spec.containers[0].env[2].
	Path   string
	Source Source
	// Value is the value itself where the pack can read it (Plain, and
	// ConfigMap when the ConfigMap is in the stack); Null otherwise. Never
	// put it in a message: use Value.Describe.
	Value props.Value
	// From names the secret or ConfigMap it comes from, for messages: an
	// ARN, `Secret "db" key "password"`.
	From string
}

// Container is one container of a workload.
type Container struct {
	// Owner is the resource that defines it: the task definition, the
	// Deployment.
	Owner *graph.Resource
	// Label names it in messages: `containerDefinitions[0] ("api")`,
	// `spec.template.spec.initContainers[0] ("migration")`.
	Label string
	Name  string
	Image string
	Vars  []Var
	// Opaque names where variables may come from that the pack cannot read
	// (ECS environmentFiles; a Kubernetes envFrom of a ConfigMap or Secret
	// outside the stack): a variable missing from Vars may be set there.
	Opaque []string
	// Pending is true when part of the environment is not known until
	// update, or malformed (the reader has noted it): a variable missing
	// from Vars may be there.
	Pending bool
	// SecretVolumes are the Kubernetes Secrets mounted as files into the
	// container, as "<secret> at <mount path>".
	SecretVolumes []string
}

// Lookup finds a variable by name. A variable defined twice counts as its
// first definition (Kubernetes: env before envFrom, which env overrides).
func (c Container) Lookup(name string) (Var, bool) {
	for _, v := range c.Vars {
		if v.Name == name {
			return v, true
		}
	}
	return Var{}, false
}

// Unseen reports whether a variable the container does not set might still
// be set where the pack cannot look.
func (c Container) Unseen() bool { return c.Pending || len(c.Opaque) > 0 }

// ImageRepository returns an image reference's repository path without
// registry, tag or digest: "123.dkr.ecr.us-west-2.amazonaws.com/pulumi/service:1.2"
// gives "pulumi/service".
func ImageRepository(image string) string {
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndexByte(image, ':'); i > strings.LastIndexByte(image, '/') {
		image = image[:i]
	}
	if i := strings.IndexByte(image, '/'); i >= 0 {
		first := image[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" {
			image = image[i+1:]
		}
	}
	return image
}
