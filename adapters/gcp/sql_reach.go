package gcp

import (
	"fmt"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Whether a Cloud SQL instance can be reached from the internet:
// settings.ipConfiguration.ipv4Enabled (true when absent: "Whether this
// Cloud SQL instance should be assigned a public IPV4 address", and the
// Cloud SQL Admin API assigns one unless told not to) gives it a public IP;
// authorizedNetworks[].value (CIDR blocks) say who reaches it there. Without
// a public IP it is reached on privateNetwork (or Private Service Connect).

const (
	pIPv4Enabled   = "settings.ipConfiguration.ipv4Enabled"
	pSQLAuthorized = "settings.ipConfiguration.authorizedNetworks"
	reachFix       = "Set settings.ipConfiguration.ipv4Enabled to false and privateNetwork to the VPC the " +
		"service runs in (private services access), or admit only the addresses that need the instance in " +
		"authorizedNetworks."
)

const memoDatabaseReach = memoKey("gcp.DatabaseReach")

// DatabaseReach reads each instance's public IP and authorized networks.
func (Adapter) DatabaseReach(g *graph.Graph) []model.Reach {
	return g.Memo(memoDatabaseReach, func() any { return databaseReach(g) }).([]model.Reach)
}

func databaseReach(g *graph.Graph) []model.Reach {
	var out []model.Reach
	for _, db := range g.OfType(TypeSQLInstance) {
		out = append(out, instanceReach(db))
	}
	return out
}

func instanceReach(db *graph.Resource) model.Reach {
	rd := policy.Probe(db)
	r := model.Reach{Res: db, Fix: reachFix}
	on, st := rd.Bool(pIPv4Enabled)
	switch {
	case st == policy.Known && !on:
		r.Private = pIPv4Enabled + " is false: the instance has no public IP"
	case st == policy.Known:
		r.Public = fmt.Sprintf("%s is true, so Cloud SQL instance %q has a public IP", pIPv4Enabled, db.Name)
	case st == policy.Absent:
		r.Public = fmt.Sprintf("%s is not set, so Cloud SQL instance %q gets a public IP", pIPv4Enabled, db.Name)
	}
	if gap, ok := model.GapOf(rd); ok {
		r.Gaps = append(r.Gaps, gap)
		return r
	}
	if r.Private != "" {
		return r
	}
	items, _ := rd.Items(pSQLAuthorized)
	for _, it := range items {
		if a, ok := authorizedRange(db, it); ok {
			r.Ranges = append(r.Ranges, a)
		}
	}
	if gap, ok := model.GapOf(rd); ok {
		// the list itself, or an item, is not known or malformed
		r.Ranges = append(r.Ranges, model.AdmittedRange{Where: db, Path: pSQLAuthorized, Gap: &gap})
	}
	return r
}

// authorizedRange reads one authorized network; an unknown or malformed
// value is noted on the instance's probe (the caller turns it into a gap).
func authorizedRange(db *graph.Resource, it policy.Reader) (model.AdmittedRange, bool) {
	at := it.Base() + ".value"
	a := model.AdmittedRange{Where: db, Path: at}
	v, st := it.String("value")
	if st != policy.Known {
		if st == policy.Absent {
			it.NoteInvalidFix(at+" is not set", "set "+at+" to a CIDR block such as 203.0.113.0/24")
		}
		return a, false
	}
	first, last, ok := model.CIDRRange(v)
	if !ok {
		it.NoteInvalidFix(at+" is not an IPv4 CIDR block", "set "+at+" to a CIDR block such as 203.0.113.0/24")
		return a, false
	}
	a.First, a.Last = first, last
	a.Text = it.Value("value").Describe()
	a.Fix = fmt.Sprintf("Remove %s, or narrow it to the addresses that need the instance. %s", at, reachFix)
	return a, true
}
