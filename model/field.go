// Package model is the hardening guide's view of a stack: its objects
// (databases, object stores, edges, clusters, the app tier's placement,
// containers) with the properties the guide asks about, whatever platform
// declared them. Adapters (package adapters/...) fill it from type tokens
// and property paths; policies read it and never name a provider's type.
//
// Every property is a Field: its value, its state (set, absent, not known
// until update, malformed) and where it came from (resource and property
// path), so a finding names the exact property, and a check that needs a
// value not known yet notes just that property (Field.Decide).
package model

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Field is one property of a guide object as an adapter read it.
type Field[T any] struct {
	Value T
	State policy.State
	// Res and Path are where it came from: the resource and the property
	// path on it (e.g. "vpcConfig.endpointPublicAccess").
	Res  *graph.Resource
	Path string
	// notes are what reading it noted (unknown, malformed), replayed on the
	// reader of the policy that decides on it.
	notes policy.Notes
}

// Reading reads one typed value at a path (policy.Reader.Bool, String, ...).
type Reading[T any] func(policy.Reader, string) (T, policy.State)

// Read reads a field of res through a probe, so nothing is noted until a
// policy decides on it.
func Read[T any](res *graph.Resource, path string, read Reading[T]) Field[T] {
	rd := policy.Probe(res)
	v, st := read(rd, path)
	return Field[T]{Value: v, State: st, Res: res, Path: path, notes: rd.Taken()}
}

// Bool reads a boolean field.
func Bool(res *graph.Resource, path string) Field[bool] { return Read(res, path, policy.Reader.Bool) }

// String reads a string field.
func String(res *graph.Resource, path string) Field[string] {
	return Read(res, path, policy.Reader.String)
}

// Strings reads a list of strings.
func Strings(res *graph.Resource, path string) Field[[]string] {
	return Read(res, path, policy.Reader.Strings)
}

// Of is a field with a value the adapter worked out (a default, a join).
func Of[T any](v T, st policy.State, res *graph.Resource, path string) Field[T] {
	return Field[T]{Value: v, State: st, Res: res, Path: path}
}

// WithNotes is the field with what reading it noted: for a field an
// adapter works out from a read of its own.
func (f Field[T]) WithNotes(n policy.Notes) Field[T] {
	f.notes = n
	return f
}

// Map is f with its value converted by fn: same state, origin and notes.
func Map[T, U any](f Field[T], fn func(T) U) Field[U] {
	return Field[U]{Value: fn(f.Value), State: f.State, Res: f.Res, Path: f.Path, notes: f.notes}
}

// Known reports whether the field has a known value.
func (f Field[T]) Known() bool { return f.State == policy.Known }

// Absent reports whether the property is not set.
func (f Field[T]) Absent() bool { return f.State == policy.Absent }

// Undecided reports whether the value is not known until update or is
// malformed: no verdict may rest on it.
func (f Field[T]) Undecided() bool { return f.State.Undecided() }

// Noter gives the reader on which a policy notes what it could not decide:
// policy.StackContext and policy.ResourceContext.
type Noter interface {
	Read(*graph.Resource) policy.Reader
}

// Decide is the field's state for a policy that rests a verdict on it:
// what reading the field noted (a value not known until update, a malformed
// one) is noted on that policy's run, exactly as a direct read would have
// noted it.
func (f Field[T]) Decide(ctx Noter) policy.State {
	if !f.notes.Empty() && f.Res != nil {
		f.notes.Replay(ctx.Read(f.Res))
	}
	return f.State
}

// True reports whether a boolean field is known and true.
func True(f Field[bool]) bool { return f.State == policy.Known && f.Value }

// False reports whether a boolean field is known and false.
func False(f Field[bool]) bool { return f.State == policy.Known && !f.Value }
