package policy

import (
	"errors"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// The fixes of "cannot be verified" advisories (advice.go): what would let the pack
// decide. They state only what the pack did and what to do, never a value.
const (
	// UnknownInPreviewFix is the fix of a value not known during preview.
	UnknownInPreviewFix = "It is decided at `pulumi up`, once the value is known (a mandatory finding then " +
		"fails the update), and by `pulumi policy analyze --policy-pack <this pack>` on the stack after an " +
		"update. To have it decided at preview, set it from a value the program knows (a literal or stack " +
		"config) rather than another resource's output."
	// UnknownInUpdateFix is the fix of a value still unknown outside a
	// preview.
	UnknownInUpdateFix = "Run `pulumi policy analyze --policy-pack <this pack>` on the stack once the update " +
		"has finished: it judges the values the stack recorded."
)

// DefaultUnverifiableFix is the fix of an advisory a check gives with
// Unverifiablef: the pack judges only what the stack declares, so declare
// (or import) what the resource refers to, or describe it in the policy's
// config when the policy has properties for that.
func DefaultUnverifiableFix(p *Policy) string {
	fix := "The pack judges only what this stack declares: declare in this stack what the resource refers " +
		"to, or the value itself (`pulumi import` brings in an existing resource)"
	if len(p.Params) > 0 {
		names := make([]string, len(p.Params))
		for i, prm := range p.Params {
			names[i] = prm.Name
		}
		fix += ", or, where one of this policy's config properties describes it (" + strings.Join(names, ", ") +
			"), set that property in the --policy-pack-config file"
	}
	return fix + "."
}

// malformedFix says which shape each malformed value needs: the reader's
// fix where it knows the expected shape, else the shape the problem names.
func malformedFix(notes []invalidNote) string {
	var known []string
	rest := false
	for _, n := range notes {
		if n.fix != "" {
			known = append(known, n.fix)
		} else {
			rest = true
		}
	}
	switch {
	case len(known) == 0:
		known = []string{"give each value named above the shape it names"}
	case rest:
		known = append(known, "give each other value named above the shape it names")
	}
	return capitalize(strings.Join(known, "; ")) + ": the shape the provider's schema expects. The pack judges the " +
		"resource once it has it."
}

// lookupFix is the fix of a failed props.Value.Lookup: the shape the value
// on the way needs, or "" when the error does not say.
func lookupFix(err error) string {
	var te *props.TypeError
	if errors.As(err, &te) {
		return shapeFix(te.Path, te.Want)
	}
	return ""
}

// shapeFix is the fix of a value of the wrong kind: "set flag to a boolean".
func shapeFix(at props.Path, want props.Kind) string {
	where := at.String()
	if where == "" {
		where = "the properties"
	}
	return "set " + where + " to " + withArticle(want)
}

func withArticle(k props.Kind) string {
	s := k.String()
	switch {
	case k == props.Null:
		return s
	case strings.ContainsRune("aeiou", rune(s[0])):
		return "an " + s
	}
	return "a " + s
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
