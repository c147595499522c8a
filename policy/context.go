package policy

import (
	"fmt"
	"sync"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// Env is what the engine tells the pack about the run (ConfigureStack).
type Env struct {
	Organization string
	Project      string
	Stack        string
	// DryRun is true during a preview.
	DryRun bool
	// Config is the stack's config, "namespace:key" to value. Values of
	// secret keys are here in plain text: never put them in a message.
	Config map[string]string
	// SecretKeys are the config keys that are Pulumi secrets.
	SecretKeys map[string]bool
	// Tags are the stack's tags.
	Tags map[string]string
}

// State is what a Reader found at a path.
type State int

// States of a read.
const (
	// Absent: the property is not set (or null).
	Absent State = iota
	// Known: the property has a known value of the expected type.
	Known
	// Unknown: the value is not known until update. The reader has noted it;
	// the runner reports it once per resource, as advisory.
	Unknown
	// Invalid: the value, or one on the way to it, has the wrong type. The
	// reader has noted it; the runner reports it as advisory.
	Invalid
)

// Reader reads one resource's declared properties (graph.Resource.Props) for
// a policy, and notes unknown and malformed values so the runner can report
// them. Its accessors never panic. Paths are relative to the reader's base:
// the properties for a resource's reader, an item for the readers Items
// returns.
type Reader struct {
	res  *graph.Resource
	run  *run
	base props.Path
}

// Resource is the resource the reader reads.
func (r Reader) Resource() *graph.Resource { return r.res }

// Base is the path the reader's paths are relative to ("" at the top).
func (r Reader) Base() string { return r.base.String() }

var pathCache sync.Map // string -> props.Path

// full parses a path literal from policy code (cached) and puts the base in
// front of it.
func (r Reader) full(s string) props.Path {
	var p props.Path
	if c, ok := pathCache.Load(s); ok {
		p = c.(props.Path)
	} else {
		p = props.MustPath(s)
		pathCache.Store(s, p)
	}
	if len(r.base) > 0 {
		p = append(append(make(props.Path, 0, len(r.base)+len(p)), r.base...), p...)
	}
	if t := tracer.Load(); t != nil {
		traceRead(t, r.res, p)
	}
	return p
}

// Value returns the raw value at path, with no notes. Use it to look at a
// value's shape; use the typed accessors to judge it.
func (r Reader) Value(p string) props.Value {
	v, _ := r.res.Props.Lookup(r.full(p))
	return v
}

// IsSet reports whether the property is set: a known non-null value, or an
// unknown one (a program that passes an output sets the property).
func (r Reader) IsSet(p string) bool {
	return !r.Value(p).IsNull()
}

// lookup reads p and notes an unknown or a shape error on the way.
func (r Reader) lookup(p string) (props.Value, props.Path, State) {
	full := r.full(p)
	v, err := r.res.Props.Lookup(full)
	switch {
	case err != nil:
		r.run.noteInvalid(r.res, err.Error(), lookupFix(err))
		return v, full, Invalid
	case v.IsUnknown():
		r.run.noteUnknown(r.res, full.String())
		return v, full, Unknown
	case v.IsNull():
		return v, full, Absent
	}
	return v, full, Known
}

func (r Reader) wrongType(at props.Path, v props.Value, want props.Kind) State {
	r.run.noteInvalid(r.res, (&props.TypeError{Path: at, Want: want, Got: v.Kind()}).Error(), shapeFix(at, want))
	return Invalid
}

// Bool reads a boolean.
func (r Reader) Bool(p string) (bool, State) {
	v, at, st := r.lookup(p)
	if st != Known {
		return false, st
	}
	b, ok := v.Bool()
	if !ok {
		return false, r.wrongType(at, v, props.Bool)
	}
	return b, Known
}

// String reads a string.
func (r Reader) String(p string) (string, State) {
	v, at, st := r.lookup(p)
	if st != Known {
		return "", st
	}
	s, ok := v.Str()
	if !ok {
		return "", r.wrongType(at, v, props.String)
	}
	return s, Known
}

// Number reads a number.
func (r Reader) Number(p string) (float64, State) {
	v, at, st := r.lookup(p)
	if st != Known {
		return 0, st
	}
	n, ok := v.Number()
	if !ok {
		return 0, r.wrongType(at, v, props.Number)
	}
	return n, Known
}

// Strings reads an array of strings. An unknown item makes the whole read
// Unknown; a non-string item makes it Invalid.
func (r Reader) Strings(p string) ([]string, State) {
	v, at, st := r.lookup(p)
	if st != Known {
		return nil, st
	}
	items, ok := v.Array()
	if !ok {
		return nil, r.wrongType(at, v, props.Array)
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		switch it.Kind() {
		case props.String:
			s, _ := it.Str()
			out = append(out, s)
		case props.Unknown:
			r.run.noteUnknown(r.res, at.At(i).String())
			return nil, Unknown
		default:
			return nil, r.wrongType(at.At(i), it, props.String)
		}
	}
	return out, Known
}

// Items reads a block that providers accept either as one object or as a
// list of objects (pulumi-aws shapes differ between v6 and v7), and returns
// a reader per object. Absent gives none; an item that is not an object
// is noted as malformed and skipped, and the state is then Invalid.
func (r Reader) Items(p string) ([]Reader, State) {
	v, at, st := r.lookup(p)
	if st != Known {
		return nil, st
	}
	switch v.Kind() {
	case props.Object:
		return []Reader{{res: r.res, run: r.run, base: at}}, Known
	case props.Array:
		var out []Reader
		st := Known
		for i := 0; i < v.Len(); i++ {
			it := v.Index(i)
			switch it.Kind() {
			case props.Object:
				out = append(out, Reader{res: r.res, run: r.run, base: at.At(i)})
			case props.Unknown:
				r.run.noteUnknown(r.res, at.At(i).String())
				return out, Unknown
			case props.Null:
			default:
				// Noted; the well-formed items are still returned, but a
				// verdict about the whole list (e.g. "no item sets X") must
				// not be drawn from them.
				st = r.wrongType(at.At(i), it, props.Object)
			}
		}
		return out, st
	}
	return nil, r.wrongType(at, v, props.Object)
}

// NoteUnknown records that the policy needed a value that is not known yet,
// for values a policy reads by other means (e.g. inside parsed JSON).
func (r Reader) NoteUnknown(property string) { r.run.noteUnknown(r.res, property) }

// NoteInvalid records a malformed value the policy could not judge, e.g.
// "containerDefinitions is not valid JSON (syntax error at byte 12)".
func (r Reader) NoteInvalid(problem string) { r.run.noteInvalid(r.res, problem, "") }

// NoteInvalidFix is NoteInvalid with the shape that would do, as a clause
// the advisory's Fix lists: "set protocol to HTTP, HTTPS, TCP, TLS or UDP".
// Without one the Fix asks for the shape the problem names.
func (r Reader) NoteInvalidFix(problem, fix string) { r.run.noteInvalid(r.res, problem, fix) }

// ResourceContext is what a resource check gets.
type ResourceContext struct {
	Reader
	Policy   *Policy
	Env      *Env
	Config   *Config
	Resource *graph.Resource
}

// Violationf reports that the resource breaks the policy; the message says
// what is wrong, and the runner adds why and the policy's remediation.
func (c *ResourceContext) Violationf(format string, args ...any) {
	c.run.violation(c.Resource, "", fmt.Sprintf(format, args...))
}

// ViolationFixf is Violationf with a fix specific to this finding.
func (c *ResourceContext) ViolationFixf(fix, format string, args ...any) {
	c.run.violation(c.Resource, fix, fmt.Sprintf(format, args...))
}

// Unverifiablef reports, as advisory, that the resource cannot be judged
// (e.g. it names something outside the stack). Its Fix is the default
// (DefaultUnverifiableFix); UnverifiableFixf gives a specific one.
func (c *ResourceContext) Unverifiablef(format string, args ...any) {
	c.run.unverifiable(c.Resource, "", fmt.Sprintf(format, args...))
}

// UnverifiableFixf is Unverifiablef with a fix specific to this finding:
// what would let the pack decide.
func (c *ResourceContext) UnverifiableFixf(fix, format string, args ...any) {
	c.run.unverifiable(c.Resource, fix, fmt.Sprintf(format, args...))
}

// StackContext is what a stack check gets.
type StackContext struct {
	Policy *Policy
	Env    *Env
	Config *Config
	Graph  *graph.Graph
	run    *run
}

// Read returns a reader for one resource of the stack.
func (c *StackContext) Read(r *graph.Resource) Reader { return Reader{res: r, run: c.run} }

// Violationf reports that resource r (nil: the stack itself) breaks the
// policy.
func (c *StackContext) Violationf(r *graph.Resource, format string, args ...any) {
	c.run.violation(r, "", fmt.Sprintf(format, args...))
}

// ViolationFixf is Violationf with a fix specific to this finding.
func (c *StackContext) ViolationFixf(r *graph.Resource, fix, format string, args ...any) {
	c.run.violation(r, fix, fmt.Sprintf(format, args...))
}

// Unverifiablef reports, as advisory, that r cannot be judged, with the
// default fix (DefaultUnverifiableFix).
func (c *StackContext) Unverifiablef(r *graph.Resource, format string, args ...any) {
	c.run.unverifiable(r, "", fmt.Sprintf(format, args...))
}

// UnverifiableFixf is Unverifiablef with a fix specific to this finding.
func (c *StackContext) UnverifiableFixf(r *graph.Resource, fix, format string, args ...any) {
	c.run.unverifiable(r, fix, fmt.Sprintf(format, args...))
}
