// Command fakedocker is a stand-in TEST DOUBLE for the Pulumi Docker
// resource provider. It is NOT the Docker provider: it never talks to a
// Docker daemon or a registry (or any other network service), holds no
// credentials, pulls no image and starts no container.
//
// It exists only for this repository's end-to-end tests and demo, which run
// the real Pulumi CLI with the policy pack against Automation API programs
// written with github.com/pulumi/pulumi-docker/sdk/v4 v4.10.0. Those programs
// need a resource plugin named "docker" at version 4.10.0; the tests build
// this binary and install it in place of the real one with
//
//	pulumi plugin install resource docker 4.10.0 --file <built binary>
//
// Behaviour, in short, as the real provider's preview and update look to the
// engine and the pack:
//
//   - Check and Diff pass inputs through and compare top-level keys, as the
//     shared stand-in does (internal/e2e/fakeprovider).
//   - Create returns the inputs as outputs. A RemoteImage also gets
//     repoDigest and imageId, which only a registry knows: unknown in a
//     preview, and in an update "<repository>@sha256:<hex>" and
//     "sha256:<hex>", the hex a hash of the image's name. So a Container
//     whose image is a RemoteImage's repoDigest has an unknown image in a
//     preview, as with the real provider.
//   - Ids are "<logical name>-<8 hex>" from a hash of the URN.
//   - Secret and unknown values are passed through opaquely; invokes return
//     empty results.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider"
)

// pluginVersion is the version of the Docker provider this double pretends
// to be: the one github.com/pulumi/pulumi-docker/sdk/v4 v4.10.0 asks for.
const pluginVersion = "4.10.0"

var hooks = fakeprovider.Hooks{
	Name:     "docker",
	Version:  pluginVersion,
	Create:   create,
	Computed: []string{"repoDigest", "imageId"},
}

func create(urn, name string, props *structpb.Struct, preview bool) string {
	if strings.Contains(urn, "::docker:index/remoteImage:RemoteImage::") {
		image := plainString(props.Fields["name"])
		sum := sha256.Sum256([]byte(image))
		digest := hex.EncodeToString(sum[:])
		repo := image
		if i := strings.LastIndexByte(repo, ':'); i > strings.LastIndexByte(repo, '/') {
			repo = repo[:i]
		}
		if preview {
			props.Fields["repoDigest"] = structpb.NewStringValue(fakeprovider.UnknownSentinel)
			props.Fields["imageId"] = structpb.NewStringValue(fakeprovider.UnknownSentinel)
		} else {
			props.Fields["repoDigest"] = structpb.NewStringValue(repo + "@sha256:" + digest)
			props.Fields["imageId"] = structpb.NewStringValue("sha256:" + digest)
		}
	}
	if preview {
		return ""
	}
	sum := sha256.Sum256([]byte(urn))
	return fakeprovider.LogicalName(urn, name) + "-" + hex.EncodeToString(sum[:4])
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

func main() { fakeprovider.Main("fakedocker", fakeprovider.New(hooks)) }
