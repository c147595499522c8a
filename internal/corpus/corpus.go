// Package corpus loads the recorded inputs of the self-hosting installers
// (testdata/corpus) as the resources the engine would hand the pack during an
// update: inputs as recorded, secrets restored from their "[secret]" marks,
// outputs with the mock ids and ARNs the recording used.
package corpus

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/hardeningtest"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// SecretMark prefixes a string that was a Pulumi secret when recorded.
const SecretMark = "[secret]"

type file struct {
	Calls     []string `json:"calls"`
	Resources []struct {
		Type         string         `json:"type"`
		Name         string         `json:"name"`
		Inputs       map[string]any `json:"inputs"`
		SecretInputs []string       `json:"secretInputs"`
		ReadID       string         `json:"readId"`
	} `json:"resources"`
}

// Load reads one recording. project names the stack's project in URNs.
func Load(path, project, stack string) ([]*hardeningtest.Resource, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	var out []*hardeningtest.Resource
	for _, r := range f.Resources {
		custom := !strings.HasPrefix(r.Type, "pulumi:") || r.Type == "pulumi:pulumi:StackReference"
		inputs := restore(props.FromGo(r.Inputs))
		in := props.EncodeObject(inputs)
		outputs := props.EncodeObject(inputs)
		if custom {
			id := r.ReadID
			if id == "" {
				id = r.Name + "-id"
			}
			outputs.Fields["id"] = structpb.NewStringValue(id)
			outputs.Fields["arn"] = structpb.NewStringValue("arn:aws:mock:us-west-2:123456789012:" + r.Name)
		}
		out = append(out, &hardeningtest.Resource{
			URN:    "urn:pulumi:" + stack + "::" + project + "::" + r.Type + "::" + r.Name,
			Type:   r.Type,
			Name:   r.Name,
			Custom: custom,
			Inputs: in, Outputs: outputs,
		})
	}
	return out, nil
}

// restore turns "[secret]value" strings back into secret values, at any depth.
func restore(v props.Value) props.Value {
	return props.Rewrite(v, func(x props.Value) props.Value {
		if s, ok := x.Str(); ok && strings.HasPrefix(s, SecretMark) {
			return props.Secret(props.NewString(strings.TrimPrefix(s, SecretMark)))
		}
		return x
	})
}

// Secrets returns the secret values of a recording, for leak checks.
func Secrets(rs []*hardeningtest.Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, fixture.SecretStrings(props.Decode(r.Inputs))...)
	}
	return out
}
