// Package docker is the adapter from pulumi-docker to the container view:
// each docker:index/container:Container (the same token in pulumi-docker v4
// and v5) is one workload.Container, with its image and its variables
// (envs, "KEY=value" strings), and, for the policies of a single Docker host,
// its published ports (ports), the networks it joins (networksAdvanced,
// networkMode) and the files given to it (volumes, mounts, uploads).
//
// Plain Docker has no secret store (Docker secrets belong to Swarm services,
// docker:index/service:Service, not to containers): every variable of envs
// is plain text in the container's configuration, whatever Pulumi knows of
// it, and docker inspect shows it. A secret reaches a container without its
// environment only as a file: a host file mounted read-only (volumes,
// mounts) or an upload, with a variable that holds the file's path where the
// service reads one (API_TLS_PRIVATE_KEY, CONSOLE_TLS_PRIVATE_KEY,
// PULUMI_LOCAL_KEYS, AWS_SHARED_CREDENTIALS_FILE).
package docker

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
)

// TypeContainer is the container's type token (pulumi-docker v4 and v5).
const TypeContainer = "docker:index/container:Container"

// Adapter declares the Docker types to the pack; the containers reach the
// policies through the container view (Containers), not the model.
type Adapter struct{ model.None }

// Types are the type tokens the adapter reads.
func (Adapter) Types() []string { return []string{TypeContainer} }

// IsContainer reports whether a type token is a Docker container.
func IsContainer(typ string) bool { return typ == TypeContainer }
