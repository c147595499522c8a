// Command fakek8s is a stand-in TEST DOUBLE for the Pulumi Kubernetes
// resource provider. It is NOT the Kubernetes provider: it never talks to a
// cluster (or any other network service), reads no kubeconfig, holds no
// credentials and creates nothing.
//
// It exists only for this repository's end-to-end tests and demo, which run
// the real Pulumi CLI with the policy pack against Automation API programs
// written with github.com/pulumi/pulumi-kubernetes/sdk/v4 v4.32.0. Those
// programs need a resource plugin named "kubernetes" at version 4.32.0; the
// tests build this binary and install it in place of the real one with
//
//	pulumi plugin install resource kubernetes 4.32.0 --file <built binary>
//
// Behaviour, in short, as the real provider's preview and update look to the
// engine and the pack:
//
//   - CheckConfig and Configure accept the provider's own config
//     (kubeconfig, context, namespace, ...) as it is and never read it.
//   - Check passes inputs through and, like the real provider, autonames an
//     object whose metadata.name is absent: "<logical name>-<8 hex>", the hex
//     taken from a hash of the URN (the real provider uses a random seed), with
//     the annotation pulumi.com/autonamed: "true". So names are known in a
//     preview, as they are with the real provider.
//   - A Helm Release (kubernetes:helm.sh/v3:Release) is not installed or
//     rendered: Check only autonames its top-level name the same way, and
//     its id is "<namespace or default>/<name>".
//   - Create returns the inputs; its id is "<namespace or default>/<name>",
//     or "<name>" for cluster-scoped kinds (Namespace, ClusterRole, ...). In a
//     preview the id is left to the engine (unknown).
//   - Diff compares top-level keys and never asks for replacement.
//   - Secret and unknown values are passed through opaquely; invokes return
//     empty results.
//
// It is served like any Pulumi plugin, with the plumbing it shares with
// internal/e2e/fakeaws (internal/e2e/fakeprovider): a free loopback port
// written to stdout, then gRPC until it is killed.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider"
)

// pluginVersion is the version of the Kubernetes provider this double
// pretends to be: the one github.com/pulumi/pulumi-kubernetes/sdk/v4 v4.32.0
// asks for.
const pluginVersion = "4.32.0"

// autonamedAnnotation marks an object whose name the provider chose.
const autonamedAnnotation = "pulumi.com/autonamed"

var hooks = fakeprovider.Hooks{
	Name:    "kubernetes",
	Version: pluginVersion,
	Check:   check,
	Create:  create,
}

// clusterScoped are the kinds whose objects live outside any namespace; the
// real provider's id for them is the bare name.
var clusterScoped = map[string]bool{
	"Namespace": true, "Node": true, "PersistentVolume": true, "StorageClass": true,
	"ClusterRole": true, "ClusterRoleBinding": true, "CustomResourceDefinition": true,
	"PriorityClass": true, "IngressClass": true, "RuntimeClass": true,
	"MutatingWebhookConfiguration": true, "ValidatingWebhookConfiguration": true,
	"APIService": true, "CSIDriver": true, "CSINode": true, "VolumeAttachment": true,
}

// releaseType is the Helm Release the provider installs itself; it has a
// top-level name and namespace instead of metadata.
const releaseType = "kubernetes:helm.sh/v3:Release"

// check autonames the object when its metadata has no name. Metadata that is
// unknown or secret as a whole is left alone: its name cannot be seen. A
// Helm Release gets its top-level name instead, as the real provider names
// it, and no metadata.
func check(req *pulumirpc.CheckRequest, inputs *structpb.Struct) error {
	if fakeprovider.TypeOf(req.GetUrn()) == releaseType {
		if _, named := inputs.Fields["name"]; !named {
			inputs.Fields["name"] = structpb.NewStringValue(autoname(req.GetUrn(), req.GetName()))
		}
		return nil
	}
	mv, ok := inputs.Fields["metadata"]
	if !ok {
		mv = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{}})
		inputs.Fields["metadata"] = mv
	}
	meta := mv.GetStructValue()
	if meta == nil || fakeprovider.IsSecret(mv) {
		return nil
	}
	if meta.Fields == nil {
		meta.Fields = map[string]*structpb.Value{}
	}
	if _, named := meta.Fields["name"]; named {
		return nil
	}
	meta.Fields["name"] = structpb.NewStringValue(autoname(req.GetUrn(), req.GetName()))
	av, ok := meta.Fields["annotations"]
	if !ok {
		av = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{}})
		meta.Fields["annotations"] = av
	}
	if ann := av.GetStructValue(); ann != nil && !fakeprovider.IsSecret(av) {
		if ann.Fields == nil {
			ann.Fields = map[string]*structpb.Value{}
		}
		ann.Fields[autonamedAnnotation] = structpb.NewStringValue("true")
	}
	return nil
}

// autoname is "<logical name>-<8 hex chars>", deterministic from the URN.
func autoname(urn, name string) string {
	sum := sha256.Sum256([]byte(urn))
	return fakeprovider.LogicalName(urn, name) + "-" + hex.EncodeToString(sum[:4])
}

// create returns the inputs as the object's outputs and its id.
func create(urn, _ string, props *structpb.Struct, _ bool) string {
	if fakeprovider.TypeOf(urn) == releaseType {
		ns := plainString(props.Fields["namespace"])
		if ns == "" {
			ns = "default"
		}
		return ns + "/" + plainString(props.Fields["name"])
	}
	meta := props.Fields["metadata"].GetStructValue()
	name := plainString(meta.GetFields()["name"])
	kind := plainString(props.Fields["kind"])
	if kind == "" {
		// The type token's last part: kubernetes:core/v1:Namespace.
		typ := strings.Split(urn, "::")
		if len(typ) >= 3 {
			kind = typ[2][strings.LastIndex(typ[2], ":")+1:]
		}
	}
	if clusterScoped[kind] {
		return name
	}
	ns := plainString(meta.GetFields()["namespace"])
	if ns == "" {
		ns = "default"
	}
	return ns + "/" + name
}

// plainString is v's string, looking inside a secret; "" when v is not a
// known string.
func plainString(v *structpb.Value) string {
	if fakeprovider.IsSecret(v) {
		v = v.GetStructValue().GetFields()["value"]
	}
	if fakeprovider.IsUnknown(v) {
		return ""
	}
	return v.GetStringValue()
}

// newServer returns a gRPC server with the fake provider registered.
func newServer() *grpc.Server { return fakeprovider.NewServer(fakeprovider.New(hooks)) }

func main() { fakeprovider.Main("fakek8s", fakeprovider.New(hooks)) }
