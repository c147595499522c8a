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
	// SecretBlank says, for a variable from a secret store, whether the
	// value is empty, as far as the reader can tell without taking it: a
	// key of a Kubernetes Secret of the stack. NotEmpty for a store out of
	// sight.
	SecretBlank Blank
	// HeldBy and HeldAt locate the value when it is not the variable's own
	// entry (the ConfigMap or Secret of the stack holding it, and the
	// property), or the reference whose name is not known until update:
	// where a note goes when the value's emptiness is not known. HeldBy nil:
	// the container's owner, at Path.
	HeldBy *graph.Resource
	HeldAt string
	// Ref is, for a variable from a secret store, the reference as the
	// workload writes it (an ECS valueFrom: an ARN or a parameter name);
	// Null when there is none. Never put it in a message unless From shows
	// it already.
	Ref props.Value
	// PlainStore is set when the store the value comes from is in the stack
	// and keeps it in plain text (an SSM parameter of type String): what
	// holds it, for messages. HeldBy is that resource.
	PlainStore string
	// StorePending: the reference is not known until update, and the
	// workload's property dependencies name a store of the stack that keeps
	// values in plain text, which it may be.
	StorePending bool
}

// Blank says whether a value is empty.
type Blank int

// Blanks.
const (
	// NotEmpty: known and not empty, or out of the pack's sight (a secret
	// store outside the stack): the variable counts as set.
	NotEmpty Blank = iota
	// Empty: known to be empty or only white space; the installers write ""
	// for config left unset. The variable counts as not set.
	Empty
	// BlankUnknown: not known until update.
	BlankUnknown
)

// Blank says whether the variable's value is empty: a plain value or one
// from a ConfigMap of the stack by the value itself (a plain entry without
// a value is empty), one from a secret store by SecretBlank.
func (v Var) Blank() Blank {
	switch v.Source {
	case Plain, ConfigMap:
		return BlankOf(v.Value, v.Source == Plain)
	case SecretStore:
		return v.SecretBlank
	}
	return NotEmpty
}

// BlankOf judges a value: a string of white space is empty, unknown is
// BlankUnknown, null is empty when nullEmpty (a plain entry with no value)
// and out of sight otherwise.
func BlankOf(v props.Value, nullEmpty bool) Blank {
	switch {
	case v.IsUnknown():
		return BlankUnknown
	case v.IsNull():
		if nullEmpty {
			return Empty
		}
		return NotEmpty
	}
	if s, ok := v.Str(); ok && strings.TrimSpace(s) == "" {
		return Empty
	}
	return NotEmpty
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
