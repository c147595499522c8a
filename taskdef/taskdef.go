// Package taskdef reads an ECS task definition's containerDefinitions (a
// JSON document held in a string input) into a typed view of its
// containers: name, image, environment and secrets. Malformed documents are
// noted through the caller's policy.Reader, never a panic, and a document
// held in a Pulumi secret stays secret all the way down.
package taskdef

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Type is the task definition's type token (pulumi-aws v6 and v7).
const Type = "aws:ecs/taskDefinition:TaskDefinition"

// Var is one entry of a container's environment or secrets.
type Var struct {
	Name string
	// Path locates the entry, e.g. containerDefinitions[0].environment[3].
	Path string
	// Value is the entry's value (environment) or valueFrom (secrets).
	// Never put it in a message: use Value.Describe.
	Value props.Value
}

// Container is one container definition.
type Container struct {
	Index   int
	Name    string
	Image   string
	Env     []Var
	Secrets []Var
	// EnvFiles are the container's environmentFiles (S3 objects of
	// NAME=value lines), as written: their variables cannot be seen, so a
	// variable missing from Env and Secrets may be set there.
	EnvFiles []string
}

// Label names the container for a message: `containerDefinitions[0] ("api")`.
func (c Container) Label() string {
	if c.Name == "" {
		return fmt.Sprintf("containerDefinitions[%d]", c.Index)
	}
	return fmt.Sprintf("containerDefinitions[%d] (%q)", c.Index, c.Name)
}

// Lookup finds a variable by name in the environment or the secrets; where
// is "environment" or "secrets".
func (c Container) Lookup(name string) (v Var, where string, ok bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e, "environment", true
		}
	}
	for _, s := range c.Secrets {
		if s.Name == name {
			return s, "secrets", true
		}
	}
	return Var{}, "", false
}

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
func Parse(rd policy.Reader) ([]Container, policy.State) {
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
	var out []Container
	for i := range items {
		item := doc.Index(i)
		at := fmt.Sprintf("%s[%d]", key, i)
		if item.Kind() != props.Object {
			rd.NoteInvalid(fmt.Sprintf("%s is %s, expected a container definition object", at, item.Kind()))
			continue
		}
		c := Container{Index: i}
		c.Name, _ = item.Field("name").Str()
		c.Image, _ = item.Field("image").Str()
		c.Env = vars(rd, item.Field("environment"), at+".environment", "value")
		c.Secrets = vars(rd, item.Field("secrets"), at+".secrets", "valueFrom")
		c.EnvFiles = envFiles(item.Field("environmentFiles"))
		out = append(out, c)
	}
	return out, policy.Known
}

func vars(rd policy.Reader, list props.Value, at, valueKey string) []Var {
	switch list.Kind() {
	case props.Null:
		return nil
	case props.Array:
	default:
		rd.NoteInvalid(fmt.Sprintf("%s is %s, expected an array", at, list.Kind()))
		return nil
	}
	var out []Var
	for j := 0; j < list.Len(); j++ {
		e := list.Index(j)
		where := fmt.Sprintf("%s[%d]", at, j)
		name, ok := e.Field("name").Str()
		if e.Kind() != props.Object || !ok || strings.TrimSpace(name) == "" {
			rd.NoteInvalid(where + " has no name")
			continue
		}
		out = append(out, Var{Name: name, Path: where, Value: e.Field(valueKey)})
	}
	return out
}

// envFiles lists a container's environment files by their S3 ARN, or by
// their place when the entry is not a plain object with a known value.
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
