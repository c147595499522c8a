package model_test

import (
	"net/netip"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/model"
)

func span(first, last string) model.AdmittedRange {
	return model.AdmittedRange{First: netip.MustParseAddr(first), Last: netip.MustParseAddr(last)}
}

func cidr(t *testing.T, s string) model.AdmittedRange {
	t.Helper()
	first, last, ok := model.CIDRRange(s)
	if !ok {
		t.Fatalf("CIDRRange(%q) is not a block", s)
	}
	return model.AdmittedRange{First: first, Last: last}
}

func TestCIDRRange(t *testing.T) {
	for _, c := range []struct{ in, first, last string }{
		{"0.0.0.0/0", "0.0.0.0", "255.255.255.255"},
		{"10.0.0.0/8", "10.0.0.0", "10.255.255.255"},
		{"203.0.113.7/24", "203.0.113.0", "203.0.113.255"},
		{" 198.51.100.9/32 ", "198.51.100.9", "198.51.100.9"},
	} {
		first, last, ok := model.CIDRRange(c.in)
		if !ok || first.String() != c.first || last.String() != c.last {
			t.Errorf("CIDRRange(%q) = %v, %v, %v; want %s, %s", c.in, first, last, ok, c.first, c.last)
		}
	}
	for _, bad := range []string{"", "0.0.0.0", "::/0", "10.0.0.0/33", "everyone"} {
		if _, _, ok := model.CIDRRange(bad); ok {
			t.Errorf("CIDRRange(%q) is a block; want not", bad)
		}
	}
}

func TestCovers(t *testing.T) {
	cases := []struct {
		name string
		rs   []model.AdmittedRange
		want bool
	}{
		{"none", nil, false},
		{"all of IPv4", []model.AdmittedRange{span("0.0.0.0", "255.255.255.255")}, true},
		{"0.0.0.0/0", []model.AdmittedRange{cidr(t, "0.0.0.0/0")}, true},
		{"two halves", []model.AdmittedRange{cidr(t, "128.0.0.0/1"), cidr(t, "0.0.0.0/1")}, true},
		{"overlapping", []model.AdmittedRange{span("0.0.0.0", "200.0.0.0"), span("100.0.0.0", "255.255.255.255")}, true},
		{"adjacent spans", []model.AdmittedRange{span("0.0.0.0", "9.255.255.255"), span("10.0.0.0", "255.255.255.255")}, true},
		{"one address short at the top", []model.AdmittedRange{span("0.0.0.0", "255.255.255.254")}, false},
		{"a gap", []model.AdmittedRange{span("0.0.0.0", "9.255.255.254"), span("10.0.0.0", "255.255.255.255")}, false},
		{"not from 0", []model.AdmittedRange{span("1.0.0.0", "255.255.255.255")}, false},
		{"reversed span ignored", []model.AdmittedRange{span("255.255.255.255", "0.0.0.0")}, false},
		{"unread ranges ignored", []model.AdmittedRange{{}, span("0.0.0.0", "255.255.255.255")}, true},
		{"allow Azure services", []model.AdmittedRange{span("0.0.0.0", "0.0.0.0")}, false},
	}
	for _, c := range cases {
		if got := model.Covers(c.rs); got != c.want {
			t.Errorf("%s: Covers = %v, want %v", c.name, got, c.want)
		}
	}
}
