package policy

import (
	"strings"
	"testing"
)

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"abc", "abc", 0},
		{"kitten", "sitting", 3},
		{"s3-bucket-encrypt", "s3-bucket-encrypted", 2},
		{"s3-bucket-encrypton", "s3-bucket-encrypted", 2},
		{"flaw", "lawn", 2},
		{"héllo", "hello", 1}, // runes, not bytes
		{"ab", "ba", 2},
	}
	for _, c := range cases {
		if got := editDistance(c.a, c.b); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := editDistance(c.b, c.a); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d (symmetry)", c.b, c.a, got, c.want)
		}
	}
}

func TestNearest(t *testing.T) {
	policies := []string{"rds-storage-encrypted", "s3-bucket-encrypted", "security-group-egress-restricted",
		"database-tls", "api-tls", "console-tls"}
	params := []string{"privateSubnetIds", "publicSubnetIds", "requireKms", "exclude"}
	cases := []struct {
		name  string
		cands []string
		want  string // "" for no suggestion
	}{
		{"s3-bucket-encrypt", policies, "s3-bucket-encrypted"},
		{"s3-bucket-encrypton", policies, "s3-bucket-encrypted"},
		{"S3-Bucket-Encrypted", policies, "s3-bucket-encrypted"},
		{"rds-storage-encryption", policies, "rds-storage-encrypted"},
		{"api-tsl", policies, "api-tls"},
		{"requireKMS", params, "requireKms"},
		{"privateSubnetId", params, "privateSubnetIds"},
		{"excludes", params, "exclude"},
		{"legacy", policies, ""},
		{"tls", policies, ""},
		{"", policies, ""},
		{"s3-bucket-encrypted", nil, ""},
		{strings.Repeat("s3-bucket-encrypted", 20), policies, ""},
		{"\xff\xfe", policies, ""},
	}
	for _, c := range cases {
		got, ok := Nearest(c.name, c.cands)
		if !ok {
			got = ""
		}
		if got != c.want {
			t.Errorf("Nearest(%q) = %q, %v; want %q", c.name, got, ok, c.want)
		}
	}
	// Whether or not close, the nearest is returned (the tag check reports
	// under it), even for a name too long to suggest for.
	if got, ok := Nearest("legacy", policies); ok || got == "" {
		t.Errorf("far name: %q %v", got, ok)
	}
	if got, ok := Nearest(strings.Repeat("x", 1000)+"api-tls", policies); ok || got == "" {
		t.Errorf("long name: %q %v", got, ok)
	}
	// Ties go to the earlier candidate, so the answer is stable.
	if got, _ := Nearest("ab", []string{"ac", "ad"}); got != "ac" {
		t.Errorf("tie: %q", got)
	}
}
