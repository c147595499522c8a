package policies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// checkDatabaseReach is rds-not-publicly-accessible's stack check, for the
// databases whose adapters read their public endpoint and firewall from the
// graph (Azure Database for MySQL flexible server, Cloud SQL): a range that
// admits all of IPv4 to a public endpoint, alone or with others, and a range
// with a platform meaning of its own (Azure's "allow Azure services"), are
// violations.
func checkDatabaseReach(ctx *policy.StackContext) {
	for _, r := range sources.DatabaseReach(ctx.Graph) {
		judgeReach(ctx, r)
	}
}

func judgeReach(ctx *policy.StackContext, r model.Reach) {
	for _, g := range r.Gaps {
		g.Decide(ctx)
	}
	if len(r.Gaps) > 0 || r.Private != "" {
		return
	}
	var rest []model.AdmittedRange
	for _, a := range r.Ranges {
		switch {
		case a.Gap != nil:
			a.Gap.Decide(ctx)
		case !a.First.IsValid():
		case a.Special != "":
			ctx.ViolationFixf(a.Where, a.Fix, "%s (%s) %s", a.Text, a.Path, a.Special)
		case model.Covers([]model.AdmittedRange{a}):
			ctx.ViolationFixf(a.Where, a.Fix, "%s (%s) admits all of IPv4, the whole internet: %s", a.Text, a.Path,
				r.Public)
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) < 2 || !model.Covers(rest) {
		return
	}
	names := make([]string, len(rest))
	for i, a := range rest {
		names[i] = a.Text + " (" + a.Path
		if a.Where != r.Res {
			names[i] += " of " + a.Where.Label()
		}
		names[i] += ")"
	}
	ctx.ViolationFixf(r.Res, r.Fix, "%s together admit all of IPv4, the whole internet: %s",
		strings.Join(names, ", "), r.Public)
}

// databaseCAFix is database-tls's fix when the stack's databases say which
// CA verifies them (Azure Database for MySQL, Cloud SQL): "" leaves the
// policy's remediation.
func databaseCAFix(ctx *policy.StackContext) string {
	var cas []string
	for _, r := range ctx.Graph.OfType(sources.DatabaseTypes()...) {
		if db, ok := sources.Database(r); ok && db.CA != "" && !slices.Contains(cas, db.CA) {
			cas = append(cas, db.CA)
		}
	}
	if len(cas) == 0 {
		return ""
	}
	return fmt.Sprintf("Set DATABASE_CA_CERTIFICATE to %s, and DATABASE_MIN_TLS_VERSION to \"1.2\" (or \"1.3\"), "+
		"on the API and migrations containers.", strings.Join(cas, "; or, for the other database, "))
}
