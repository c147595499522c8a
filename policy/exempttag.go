package policy

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
)

// maxShownTag bounds how much of a tag a message quotes.
const maxShownTag = 200

// checkExemptTag gives one advisory per name in res's exemption tag that is
// not a policy of the pack: such a name exempts nothing, and without a word
// the user would believe the resource exempted. It runs once per resource
// (from Analyze). Each advisory is reported under the policy whose name is
// nearest to the misspelt one, the policy the tag most likely meant, so it
// shows beside that policy's findings; none when that policy is disabled.
// A secret tag is never quoted.
func (p *Pack) checkExemptTag(cfg Configuration, res *graph.Resource) []Finding {
	v := exemptTag(res)
	tag, ok := v.Str()
	if !ok {
		return nil
	}
	secret := v.IsSecret()
	names, _ := parseExemptTag(tag)
	var out []Finding
	for _, name := range names {
		if p.byName[name] != nil {
			continue
		}
		near, close := Nearest(name, p.Names())
		pol := p.byName[near]
		if pol == nil {
			continue // a pack without policies
		}
		if c := cfg[pol.Name]; c == nil || c.Level == Disabled {
			continue
		}
		f := Finding{Policy: pol, Resource: res, Kind: BadExemption, Level: Advisory}
		// Quoted as written, not escaped, so the redaction still finds any
		// secret inside; cut by runes, so the text stays valid UTF-8.
		shown := `"` + name + `"`
		if r := []rune(name); len(r) > maxShownTag {
			shown = `"` + string(r[:maxShownTag]) + `"...`
		}
		f.What = fmt.Sprintf("tag %s names %s, which is not a policy of %s, so it exempts nothing", ExemptTag,
			shown, p.Name)
		if secret {
			f.What = fmt.Sprintf("tag %s (a secret, not shown) names something that is not a policy of %s, so "+
				"it exempts nothing", ExemptTag, p.Name)
		}
		if close {
			f.What += "; did you mean " + pol.Name + "?"
			f.Why = "an exemption tag counts only for the policies it names exactly, so the findings of " +
				pol.Name + " on this resource keep their level (a mandatory one still fails the preview)"
			f.Fix = "Write the policy's exact name in the tag"
			if fixed, ok := replaceTagName(tag, name, pol.Name); ok && !secret && len(fixed) <= maxShownTag {
				f.Fix = `Set the tag to "` + fixed + `"`
			} else {
				f.Fix += ": " + pol.Name
			}
			f.Fix += ", if that is the policy meant."
		} else {
			f.Why = "an exemption tag counts only for the policies it names exactly, so the findings it was " +
				"meant to exempt keep their level (a mandatory one still fails the preview)"
			f.Fix = fmt.Sprintf("Write the exact names of the policies to exempt before the colon "+
				"(\"policy-a,policy-b: reason\"); the policies of %s are: %s.", p.Name, strings.Join(p.Names(), ", "))
		}
		f.Message = compose(&f)
		out = append(out, f)
	}
	return out
}

// replaceTagName returns the tag with the policy name from replaced by to,
// keeping the rest as written.
func replaceTagName(tag, from, to string) (string, bool) {
	list, rest, hasReason := strings.Cut(tag, ":")
	parts := strings.Split(list, ",")
	done := false
	for i, part := range parts {
		if strings.TrimSpace(part) == from {
			parts[i] = strings.Replace(part, from, to, 1)
			done = true
		}
	}
	out := strings.Join(parts, ",")
	if hasReason {
		out += ":" + rest
	}
	return out, done
}
