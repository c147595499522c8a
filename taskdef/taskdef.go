// Package taskdef reads an ECS task definition's containerDefinitions (a
// JSON document held in a string input) into the workload view of its
// containers: name, image, and variables from environment (plain) and
// secrets (a secret store), with environmentFiles as places the pack cannot
// read. Malformed documents are noted through the caller's policy.Reader,
// never a panic, and a document held in a Pulumi secret stays secret all the
// way down.
package taskdef

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

// Type is the task definition's type token (pulumi-aws v6 and v7).
const Type = "aws:ecs/taskDefinition:TaskDefinition"

const key = "containerDefinitions"

// docKey memoizes the parsed document per resource (and reader base).
type docKey struct{ base string }

type parsed struct {
	doc props.Value
	err error
}

// Parse reads the containerDefinitions of the reader's resource. State is
// Absent when there are none, Unknown (noted) when the document is not known
// until update, Invalid (noted) when it cannot be read at all. Containers or
// entries that are malformed are noted and skipped; the rest are returned.
func Parse(rd policy.Reader) ([]workload.Container, policy.State) {
	raw := rd.Value(key)
	var doc props.Value
	switch raw.Kind() {
	case props.Null:
		return nil, policy.Absent
	case props.Unknown:
		rd.NoteUnknown(key)
		return nil, policy.Unknown
	case props.String:
		// Several policies read the same task definition: parse it once.
		p := rd.Resource().Memo(docKey{rd.Base()}, func() any {
			s, _ := raw.Str()
			v, err := props.ParseJSON([]byte(s))
			if err == nil && raw.IsSecret() {
				v = props.SecretDeep(v)
			}
			return parsed{v, err}
		}).(parsed)
		if p.err != nil {
			rd.NoteInvalid(key + " is " + p.err.Error())
			return nil, policy.Invalid
		}
		doc = p.doc
	case props.Array:
		doc = raw // already structured (some callers pass the parsed form)
	default:
		rd.NoteInvalid(fmt.Sprintf("%s is %s, expected a JSON string", key, raw.Kind()))
		return nil, policy.Invalid
	}
	items, ok := doc.Array()
	if !ok {
		rd.NoteInvalid(fmt.Sprintf("%s holds %s, expected an array of container definitions", key, doc.Kind()))
		return nil, policy.Invalid
	}
	var out []workload.Container
	for i := range items {
		item := doc.Index(i)
		at := fmt.Sprintf("%s[%d]", key, i)
		if item.Kind() != props.Object {
			rd.NoteInvalid(fmt.Sprintf("%s is %s, expected a container definition object", at, item.Kind()))
			continue
		}
		c := workload.Container{Owner: rd.Resource()}
		c.Name, _ = item.Field("name").Str()
		c.Image, _ = item.Field("image").Str()
		c.Label = at
		if c.Name != "" {
			c.Label = fmt.Sprintf("%s (%q)", at, c.Name)
		}
		c.Vars = vars(rd, c.Vars, item.Field("environment"), at+".environment", "value", workload.Plain)
		c.Vars = vars(rd, c.Vars, item.Field("secrets"), at+".secrets", "valueFrom", workload.SecretStore)
		c.Opaque = envFiles(item.Field("environmentFiles"))
		out = append(out, c)
	}
	return out, policy.Known
}

func vars(rd policy.Reader, out []workload.Var, list props.Value, at, valueKey string, src workload.Source) []workload.Var {
	switch list.Kind() {
	case props.Null:
		return out
	case props.Array:
	default:
		rd.NoteInvalid(fmt.Sprintf("%s is %s, expected an array", at, list.Kind()))
		return out
	}
	for j := 0; j < list.Len(); j++ {
		e := list.Index(j)
		where := fmt.Sprintf("%s[%d]", at, j)
		name, ok := e.Field("name").Str()
		if e.Kind() != props.Object || !ok || strings.TrimSpace(name) == "" {
			rd.NoteInvalid(where + " has no name")
			continue
		}
		v := workload.Var{Name: name, Path: where, Source: src, Value: e.Field(valueKey)}
		if src == workload.SecretStore {
			v.From = describe(v.Value)
			v.Ref, v.Value = v.Value, props.Value{}
		}
		out = append(out, v)
	}
	return out
}

// describe renders a secret's ARN for messages, unless it is itself secret.
func describe(v props.Value) string {
	if s, ok := v.Str(); ok && !v.IsSecret() {
		return s
	}
	return v.Describe()
}

// envFiles lists a container's environment files (S3 objects of NAME=value
// lines, which the pack cannot read) by their S3 ARN, or by their place when
// the entry is not a plain object with a known value.
func envFiles(list props.Value) []string {
	switch list.Kind() {
	case props.Null:
		return nil
	case props.Array:
	default:
		return []string{"environmentFiles"}
	}
	var out []string
	for j := 0; j < list.Len(); j++ {
		e := list.Index(j)
		if v, ok := e.Field("value").Str(); ok && !e.Field("value").IsSecret() && v != "" {
			out = append(out, v)
			continue
		}
		out = append(out, fmt.Sprintf("environmentFiles[%d]", j))
	}
	return out
}
