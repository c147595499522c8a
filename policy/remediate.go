package policy

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// RemediateContext applies a remediation's edits to one resource: Set
// changes one of the resource's own properties (a path through a value not
// known yet, or of another shape, is noted, and then nothing is fixed).
type RemediateContext struct {
	Reader
	Policy   *Policy
	Env      *Env
	Config   *Config
	Resource *graph.Resource

	changes []Change
}

// Change is one property a remediation sets.
type Change struct {
	Path props.Path
	// Value is the new value; Was the old one (null when it was unset).
	Value, Was props.Value
	// Secret is set when the value is, or is inside, a Pulumi secret.
	Secret bool
}

// String says what changed, secrets shown as [secret].
func (c Change) String() string {
	was, now := "unset", c.Value.Describe()
	if !c.Was.IsNull() {
		was = c.Was.Describe()
	}
	if c.Secret {
		was, now = "[secret]", "[secret]"
	}
	return fmt.Sprintf("%s: %s → %s", c.Path, was, now)
}

// Set changes the property at path p (relative to the reader's base, as the
// reader's paths are) to v, a Go value as props.FromGo takes. Objects on the
// way that are unset are created; the secrecy of the old value is kept. A
// path through a value that is unknown, or of another shape, changes
// nothing and is noted as for a read, so the remediation is dropped.
func (c *RemediateContext) Set(p string, v any) {
	full := c.full(p)
	was, err := c.res.Props.Lookup(full)
	switch {
	case err != nil:
		c.run.noteInvalid(c.res, err.Error(), lookupFix(err))
		return
	case was.IsUnknown():
		c.run.noteUnknown(c.res, full.String())
		return
	}
	nv := props.FromGo(v)
	// A secret stays a secret. Inside a secret object the object keeps its
	// secrecy (setPath rewraps it), so the new value is not wrapped again.
	parent, _ := c.res.Props.Lookup(full[:len(full)-1])
	if was.IsSecret() && !parent.IsSecret() {
		nv = props.Secret(nv)
	}
	updated, ok := setPath(c.res.Props, full, nv)
	if !ok {
		c.run.noteInvalid(c.res, full.String()+" cannot be set", "")
		return
	}
	c.res.Props, c.res.Outputs = updated, updated
	c.changes = append(c.changes, Change{Path: full, Value: nv, Was: was,
		Secret: was.IsSecret() || parent.IsSecret()})
}

// setPath returns v with the value at p replaced by nv, copying the objects
// and arrays on the way (v is not changed). Missing object keys are
// created; an index past an array's end, or a step into a scalar, fails.
func setPath(v props.Value, p props.Path, nv props.Value) (props.Value, bool) {
	if len(p) == 0 {
		return nv, true
	}
	seg, rest := p[0], p[1:]
	secret := v.IsSecret()
	wrap := func(x props.Value) props.Value {
		if secret {
			return props.Secret(x)
		}
		return x
	}
	if seg.IsIndex {
		items, ok := v.Array()
		if !ok || seg.Index >= len(items) {
			return v, false
		}
		child, ok := setPath(items[seg.Index], rest, nv)
		if !ok {
			return v, false
		}
		out := append([]props.Value(nil), items...)
		out[seg.Index] = child
		return wrap(props.NewArray(out...)), true
	}
	var fields map[string]props.Value
	switch v.Kind() {
	case props.Object:
		fields, _ = v.Object()
	case props.Null:
	default:
		return v, false
	}
	child, ok := setPath(v.Field(seg.Key), rest, nv)
	if !ok {
		return v, false
	}
	out := make(map[string]props.Value, len(fields)+1)
	for k, x := range fields {
		out[k] = x
	}
	out[seg.Key] = child
	return wrap(props.NewObject(out)), true
}

// Remediation is what one policy changed on a resource.
type Remediation struct {
	Policy  *Policy
	Changes []Change
	// Props are the resource's properties after this and every earlier
	// remediation of the same call.
	Props props.Value
}

// Description says what the remediation changed.
func (r *Remediation) Description() string {
	parts := make([]string, len(r.Changes))
	for i, c := range r.Changes {
		parts[i] = c.String()
	}
	return fmt.Sprintf("%s remediated: %s", r.Policy.Name, strings.Join(parts, "; "))
}

// remediates reports whether policy pol remediates at configuration c.
func remediates(pol *Policy, c *Config) bool {
	return pol.Remediates() && c != nil && c.Level == Remediate
}

// Remediating returns the names of the resource policies that look at type
// t and, at their configured level, remediate it.
func (p *Pack) Remediating(cfg Configuration, t string) map[string]bool {
	out := map[string]bool{}
	for _, pol := range p.byType[t] {
		if remediates(pol, cfg[pol.Name]) {
			out[pol.Name] = true
		}
	}
	return out
}

// Remediate runs, in policy order, the check of each policy at level
// remediate that looks at r's type, and applies the edits its violations
// carry, each policy on the properties the previous ones left. A
// remediation is dropped, and the resource left to Analyze to report as it
// would at mandatory, when the check panicked, read a value not known yet
// or malformed, an edit's path runs through one, or the resource is
// exempted from the policy. r is not changed.
func (p *Pack) Remediate(env *Env, cfg Configuration, r *graph.Resource) []Remediation {
	var out []Remediation
	cur := r.Props
	for _, pol := range p.byType[r.Type] {
		c := cfg[pol.Name]
		if !remediates(pol, c) {
			continue
		}
		res := graph.Resource{URN: r.URN, Type: r.Type, Name: r.Name, Props: cur, Outputs: cur,
			Parent: r.Parent, Dependencies: r.Dependencies, PropertyDependencies: r.PropertyDependencies}
		if _, exempt := exemption(pol, c, &res); exempt {
			continue
		}
		check := newRun(pol, env, c)
		check.guard(&res, func() {
			pol.Resource(&ResourceContext{Reader: Reader{res: &res, run: check}, Policy: pol, Env: env,
				Config: c, Resource: &res})
		})
		var edits []Edit
		seen := map[string]bool{}
		failed := false
		for _, f := range check.findings {
			failed = failed || f.Kind == PolicyError
			if f.Kind != Violation || f.Resource != &res {
				continue
			}
			for _, e := range f.Edits {
				if !seen[e.Path] { // several findings may carry one fix
					seen[e.Path] = true
					edits = append(edits, e)
				}
			}
		}
		if failed || len(check.order) > 0 || len(edits) == 0 {
			continue // a panic, or a value the check read not known yet or malformed
		}
		run := newRun(pol, env, c)
		ctx := &RemediateContext{
			Reader: Reader{res: &res, run: run}, Policy: pol, Env: env, Config: c, Resource: &res,
		}
		for _, e := range edits {
			ctx.Set(e.Path, e.Value)
		}
		if len(run.order) > 0 || len(ctx.changes) == 0 {
			continue
		}
		cur = res.Props
		out = append(out, Remediation{Policy: pol, Changes: ctx.changes, Props: res.Props})
	}
	return out
}
