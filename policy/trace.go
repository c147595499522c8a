package policy

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// A read trace tells tests which properties the policies read, so that a
// bad-input suite can put bad values exactly there. Production never sets
// one: the Reader pays a single nil check per read.

// tracer is the active trace, or nil.
var tracer atomic.Pointer[readTrace]

type readTrace struct {
	mu sync.Mutex
	f  func(typ, path string)
}

// TraceReads calls f, until stop is called, for every property read
// through a Reader (Value, IsSet, Bool, String, Number, Strings, Items, on a
// resource's reader or on an item's): the resource's type token and the
// path read, with array indexes written [*], e.g.
//
//	aws:ec2/securityGroup:SecurityGroup ingress[*].cidrBlocks
//
// When the value read is an array, the read of its items (Strings, Items,
// or a policy walking the array) is recorded too, as path[*]:
//
//	aws:ec2/securityGroup:SecurityGroup ingress[*].cidrBlocks[*]
//
// A path is recorded as read even where the resource lacks it (a policy
// reading an absent property still depends on it). Reads that do not go
// through a Reader are not seen: graph.Refs following a reference, the
// runner's exemption tag, awsnet's joins by reference. f is called once per
// read (not deduplicated), under a lock, and must not read through a Reader
// itself. One trace at a time: TraceReads panics while another is active.
// For tests only.
func TraceReads(f func(typ, path string)) (stop func()) {
	t := &readTrace{f: f}
	if !tracer.CompareAndSwap(nil, t) {
		panic("policy.TraceReads: a read trace is already active")
	}
	var once sync.Once
	return func() { once.Do(func() { tracer.CompareAndSwap(t, nil) }) }
}

// traceRead records a read of full (the reader's base included) on res.
func traceRead(t *readTrace, res *graph.Resource, full props.Path) {
	if res == nil {
		return
	}
	path := NormalisePath(full)
	v := res.Props.Get(full)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.f(res.Type, path)
	if v.Kind() == props.Array && v.Len() > 0 {
		t.f(res.Type, path+"[*]")
	}
}

// NormalisePath renders p as Path.String does, with every array index
// written [*]: ingress[2].cidrBlocks[0] is ingress[*].cidrBlocks[*].
func NormalisePath(p props.Path) string {
	var b strings.Builder
	for i, seg := range p {
		if seg.IsIndex {
			b.WriteString("[*]")
			continue
		}
		s := props.Path{seg}.String()
		if i > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}
