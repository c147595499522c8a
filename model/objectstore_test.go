package model_test

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// TestQuoteKeepsSecrets checks that a value marked secret, itself or on the
// way to it, is never quoted.
func TestQuoteKeepsSecrets(t *testing.T) {
	res := &graph.Resource{Type: "t", Name: "r", Props: props.NewObject(map[string]props.Value{
		"acl":        props.NewString("public-read"),
		"hidden":     props.Secret(props.NewString("public-read-write")),
		"encryption": props.Secret(props.NewObject(map[string]props.Value{"keySource": props.NewString("x")})),
	})}
	cases := []struct {
		f    model.Field[string]
		want string
	}{
		{model.String(res, "acl"), `"public-read"`},
		{model.String(res, "hidden"), "(a secret value)"},
		{model.String(res, "encryption.keySource"), "(a secret value)"},
		{model.Of("worked out", policy.Known, nil, ""), `"worked out"`},
	}
	for _, c := range cases {
		if got := model.Quote(c.f); got != c.want {
			t.Errorf("Quote(%s) = %s, want %s", c.f.Path, got, c.want)
		}
	}
}
