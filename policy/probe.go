package policy

import "github.com/selfhosted-hardening/selfhosted-hardening/graph"

// Undecided reports whether a read gave no verdict: the value is not known
// until update, or malformed. The reader has noted it, and the runner
// reports it, so a check returns without a finding.
func (s State) Undecided() bool { return s == Unknown || s == Invalid }

// IsTrue reports whether the boolean at p is known and true. An unknown or
// malformed value is noted and counts as not true.
func (r Reader) IsTrue(p string) bool {
	b, st := r.Bool(p)
	return st == Known && b
}

// Notes are what a probe noted while reading: properties not known until
// update and malformed values, each once, in the order noted.
type Notes struct {
	Unknown []string
	invalid []invalidNote
}

// Empty reports whether nothing was noted.
func (n Notes) Empty() bool { return len(n.Unknown) == 0 && len(n.invalid) == 0 }

// Replay notes them on a policy's reader, as if that reader had read them.
func (n Notes) Replay(to Reader) {
	for _, p := range n.Unknown {
		to.NoteUnknown(p)
	}
	for _, v := range n.invalid {
		to.run.noteInvalid(to.res, v.problem, v.fix)
	}
}

// Probe is a reader that belongs to no policy: what it notes is kept for
// the caller (Taken) rather than reported. Adapters read through probes, so
// a model can be built once per stack and each policy notes only what it
// uses (Notes.Replay).
func Probe(res *graph.Resource) Reader {
	return Reader{res: res, run: &run{}}
}

// Taken returns what the reader has noted so far on its resource and
// forgets it. On a policy's reader it returns nothing: those notes are the
// runner's.
func (r Reader) Taken() Notes {
	if r.run == nil || r.run.policy != nil {
		return Notes{}
	}
	n := Notes{Unknown: r.run.unknown[r.res], invalid: r.run.invalid[r.res]}
	r.run.unknown, r.run.invalid, r.run.order = nil, nil, nil
	return n
}

// Read returns a reader for another resource of the stack, noting on this
// check's run (a resource check that follows a reference).
func (c *ResourceContext) Read(r *graph.Resource) Reader { return Reader{res: r, run: c.run} }

// Follow resolves a reference a check needs: the in-stack resource it
// names, or nil. A reference not known until update is noted on from (no
// verdict); one whose known value names something outside the stack gives
// outside, for the caller to say what it cannot see.
func (c *StackContext) Follow(from *graph.Resource, ref graph.Ref) (target *graph.Resource, outside bool) {
	switch {
	case ref.Target != nil:
		return ref.Target, false
	case ref.Known:
		return nil, true
	}
	c.Read(from).NoteUnknown(ref.Path.String())
	return nil, false
}
