// Command fakerandom is a stand-in TEST DOUBLE for the Pulumi random
// provider. It is NOT the random provider: its "random" values are derived
// from a hash of the resource's URN, so they are deterministic and must
// never be used as real secrets. It never calls any network service.
//
// It exists only for this repository's end-to-end tests and demo, which run
// the real Pulumi CLI with the policy pack against Automation API programs
// that register random:index/randomString:RandomString and
// random:index/randomPassword:RandomPassword by type token. Those programs
// ask for a resource plugin named "random" at version 4.21.2 (a real release,
// whose @pulumi/random package gives the input shapes); the tests build this
// binary and install it in place of the real one with
//
//	pulumi plugin install resource random 4.21.2 --file <built binary>
//
// Behaviour, in short, as the real provider's preview and update look to the
// engine and the pack:
//
//   - Check passes inputs through.
//   - Create returns the inputs plus "result": unknown in a preview, else a
//     string of the requested length (letters and digits). As with the real
//     provider, a RandomPassword's result (and bcryptHash) is a secret and
//     its id is "none"; a RandomString's result is NOT a secret and is also
//     its id.
//   - Diff compares top-level keys and never asks for replacement.
//
// It is served with the plumbing it shares with the other stand-ins
// (internal/e2e/fakeprovider): a free loopback port written to stdout, then
// gRPC until it is killed.
package main

import (
	"crypto/sha256"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider"
)

// pluginVersion is the random provider release this double pretends to be.
const pluginVersion = "4.21.2"

const (
	randomString   = "random:index/randomString:RandomString"
	randomPassword = "random:index/randomPassword:RandomPassword"
)

var hooks = fakeprovider.Hooks{
	Name:     "random",
	Version:  pluginVersion,
	Create:   create,
	Computed: []string{"id", "result", "bcryptHash"},
}

// alphabet is what results are drawn from.
const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// create adds "result" (and a password's "bcryptHash").
func create(urn, _ string, props *structpb.Struct, preview bool) string {
	typ := fakeprovider.TypeOf(urn)
	secret := typ == randomPassword
	if preview {
		props.Fields["result"] = structpb.NewStringValue(fakeprovider.UnknownSentinel)
		if secret {
			props.Fields["bcryptHash"] = structpb.NewStringValue(fakeprovider.UnknownSentinel)
		}
		return ""
	}
	n := 16
	if l := props.Fields["length"]; l != nil && l.GetNumberValue() > 0 {
		n = int(l.GetNumberValue())
	}
	result := derive(urn, n)
	if !secret {
		props.Fields["result"] = structpb.NewStringValue(result)
		props.Fields["id"] = structpb.NewStringValue(result)
		return result
	}
	props.Fields["result"] = secretValue(result)
	props.Fields["bcryptHash"] = secretValue("$2a$10$" + derive(urn+"#bcrypt", 53))
	props.Fields["id"] = structpb.NewStringValue("none")
	return "none"
}

// derive is n characters of the alphabet from a hash chain of seed.
func derive(seed string, n int) string {
	out := make([]byte, 0, n)
	sum := sha256.Sum256([]byte(seed))
	for len(out) < n {
		for _, b := range sum {
			if len(out) == n {
				break
			}
			out = append(out, alphabet[int(b)%len(alphabet)])
		}
		sum = sha256.Sum256(sum[:])
	}
	return string(out)
}

// secretValue is s marked secret in the engine's encoding.
func secretValue(s string) *structpb.Value {
	return structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
		fakeprovider.SecretSig: structpb.NewStringValue(fakeprovider.SecretSigValue),
		"value":                structpb.NewStringValue(s),
	}})
}

// newServer returns a gRPC server with the fake provider registered.
func newServer() *grpc.Server { return fakeprovider.NewServer(fakeprovider.New(hooks)) }

func main() { fakeprovider.Main("fakerandom", fakeprovider.New(hooks)) }
