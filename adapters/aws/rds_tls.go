package aws

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// RDS parameter groups: whether an RDS database refuses connections without
// TLS is a parameter of its (cluster) parameter group, or of the engine's
// default group.
const (
	TypeRDSParameterGroup        = "aws:rds/parameterGroup:ParameterGroup"
	TypeRDSClusterParameterGroup = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
)

var (
	pClusterParameterGroup  = props.MustPath("dbClusterParameterGroupName")
	pInstanceParameterGroup = props.MustPath("parameterGroupName")
)

// tlsDefault is whether an engine's default parameter group forces TLS.
type tlsDefault int

const (
	defaultOff tlsDefault = iota
	defaultOn
	// defaultUnknown: it depends on an engine version that is unknown or
	// malformed (noted); no verdict that rests on the default.
	defaultUnknown
)

const memoDatabaseTLS = memoKey("aws.DatabaseTLS")

// DatabaseTLS joins each RDS instance and cluster to its parameter groups
// and judges the engine's TLS parameter there (require_secure_transport,
// rds.force_ssl), or in the engine's default group when it names none.
// Reads go through probes; what they note is a setting's Gap.
func (Adapter) DatabaseTLS(g *graph.Graph) []model.DatabaseTLS {
	return g.Memo(memoDatabaseTLS, func() any { return databaseTLS(g) }).([]model.DatabaseTLS)
}

func databaseTLS(g *graph.Graph) []model.DatabaseTLS {
	var out []model.DatabaseTLS
	for _, db := range g.OfType(TypeRDSCluster, TypeRDSInstance) {
		j := tlsJudge{db: db, rd: policy.Probe(db)}
		j.judge(g)
		j.flush(j.rd)
		out = append(out, model.DatabaseTLS{Res: db, Settings: j.out})
	}
	return out
}

// tlsJudge judges one database's TLS settings.
type tlsJudge struct {
	db     *graph.Resource
	rd     policy.Reader // a probe of db
	engine string
	param  string
	want   []string
	memo   *tlsDefault
	out    []model.TLSSetting
}

func (j *tlsJudge) off(where *graph.Resource, fix, format string, args ...any) {
	j.out = append(j.out, model.TLSSetting{Where: where, Fix: fix, What: fmt.Sprintf(format, args...)})
}

// flush turns what a probe noted into a setting's gap.
func (j *tlsJudge) flush(rd policy.Reader) {
	if gap, ok := model.GapOf(rd); ok {
		j.out = append(j.out, model.TLSSetting{Where: rd.Resource(), Gap: &gap})
	}
}

// dflt is whether the engine's default forces TLS. The engine version is
// read only when a verdict rests on the default, so an unknown version is
// noted only then.
func (j *tlsJudge) dflt() tlsDefault {
	if j.memo == nil {
		d := engineDefaultForcesTLS(j.rd, j.engine)
		j.memo = &d
	}
	return *j.memo
}

func (j *tlsJudge) judge(g *graph.Graph) {
	db := j.db
	engine, st := j.rd.String("engine")
	if st != policy.Known {
		return
	}
	j.engine = engine
	j.param, j.want = tlsParameter(engine)
	if j.param == "" {
		return
	}
	p, groupTypes := pInstanceParameterGroup, []string{TypeRDSParameterGroup}
	if db.Type == TypeRDSCluster {
		p, groupTypes = pClusterParameterGroup, []string{TypeRDSClusterParameterGroup}
	}
	refs := g.Refs(db, p, groupTypes...)
	if len(refs) == 0 {
		if j.dflt() == defaultOff {
			j.off(db, "", "%s is not set, so the %s database uses the default parameter group, where %s is off%s: "+
				"clients may connect without TLS", p, engine, j.param, defaultOffWhy(engine))
		}
		return
	}
	for _, ref := range refs {
		switch {
		case ref.Target != nil:
			j.parameterGroup(ref.Target)
		case ref.Known && strings.HasPrefix(ref.Value, "default."):
			if j.dflt() == defaultOff {
				j.off(db, "", "%s is the default parameter group %s, where %s is off%s: clients may connect "+
					"without TLS", p, ref.Value, j.param, defaultOffWhy(engine))
			}
		case ref.Known:
			j.out = append(j.out, model.TLSSetting{Where: db, Unseen: fmt.Sprintf("cannot be verified: parameter "+
				"group %s (%s) is not in the stack", ref.Value, p)})
		default:
			j.rd.NoteUnknown(p.String())
		}
	}
}

func (j *tlsJudge) parameterGroup(pg *graph.Resource) {
	rd := policy.Probe(pg)
	defer j.flush(rd)
	items, st := rd.Items("parameters")
	if st.Undecided() {
		return
	}
	pending := false
	for _, it := range items {
		name, st := it.String("name")
		if st.Undecided() {
			pending = true // this one may be the parameter: noted, no verdict
			continue
		}
		if !strings.EqualFold(name, j.param) {
			continue
		}
		v, st := it.String("value")
		if st != policy.Known {
			return
		}
		for _, w := range j.want {
			if strings.EqualFold(strings.TrimSpace(v), w) {
				return
			}
		}
		j.off(pg, fmt.Sprintf("Set %s to %s.", j.param, j.want[0]),
			"%s sets %s to %q, so the %s database %q accepts connections without TLS", it.Base(), j.param, v,
			j.engine, j.db.Name)
		return
	}
	if !pending && j.dflt() == defaultOff {
		j.off(pg, fmt.Sprintf("Add {name: %q, value: %q} to parameters.", j.param, j.want[0]),
			"parameters does not set %s, so it stays off%s and the %s database %q accepts connections without TLS",
			j.param, defaultOffWhy(j.engine), j.engine, j.db.Name)
	}
}

// tlsParameter returns the engine's parameter that forces TLS and the
// values that mean on.
func tlsParameter(engine string) (string, []string) {
	switch {
	case engine == "aurora-mysql" || engine == "aurora" || engine == "mysql" || engine == "mariadb":
		return "require_secure_transport", []string{"ON", "1", "true"}
	case engine == "aurora-postgresql" || engine == "postgres" || strings.HasPrefix(engine, "sqlserver"):
		return "rds.force_ssl", []string{"1"}
	}
	return "", nil
}

// engineDefaultForcesTLS says whether the engine's default parameter group
// (and so a custom group that leaves the parameter out) forces TLS.
//
//   - RDS for PostgreSQL: "The rds.force_ssl parameter default value is 1 (on)
//     for RDS for PostgreSQL version 15 and later. For all other RDS for
//     PostgreSQL major versions 14 and older, the default value of this
//     parameter is 0 (off)." ("Using SSL with a PostgreSQL DB instance",
//     https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html).
//     Without engineVersion, "Amazon RDS defaults to an available version,
//     typically the most recent version" ("Amazon RDS for PostgreSQL updates",
//     https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html),
//     and the most recent has been 15 or later since 2023: on.
//   - Aurora PostgreSQL: "For Aurora PostgreSQL versions 17 and later: The
//     default value is 1 (on). For Aurora PostgreSQL versions 16 and older:
//     The default value is 0 (off)." ("Securing Aurora PostgreSQL data with
//     SSL/TLS", https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Security.html;
//     the change came with Aurora PostgreSQL 17.4, May 2025). No page found
//     says which major version Aurora picks without engineVersion, so absent
//     stays off.
//   - MySQL, MariaDB, Aurora MySQL and SQL Server: off.
func engineDefaultForcesTLS(rd policy.Reader, engine string) tlsDefault {
	var since int
	switch engine {
	case "postgres":
		since = 15
	case "aurora-postgresql":
		since = 17
	default:
		return defaultOff
	}
	major, st := engineMajor(rd)
	switch {
	case st == policy.Absent && engine == "postgres":
		return defaultOn
	case st == policy.Absent:
		return defaultOff
	case st != policy.Known:
		return defaultUnknown // noted
	case major >= since:
		return defaultOn
	}
	return defaultOff
}

// defaultOffWhy qualifies "is off" for engines whose default depends on the
// version.
func defaultOffWhy(engine string) string {
	switch engine {
	case "postgres":
		return " (as in RDS for PostgreSQL 14 and older)"
	case "aurora-postgresql":
		return " (as in Aurora PostgreSQL 16 and older; engineVersion does not pin 17 or later)"
	}
	return ""
}

// engineMajor reads the major version of engineVersion ("16.3" gives 16).
// A value that does not start with a number is noted as malformed, without
// quoting it.
func engineMajor(rd policy.Reader) (int, policy.State) {
	v, st := rd.String("engineVersion")
	if st != policy.Known {
		return 0, st
	}
	major, _, _ := strings.Cut(strings.TrimSpace(v), ".")
	n, err := strconv.Atoi(major)
	if err != nil || n <= 0 {
		rd.NoteInvalid("engineVersion does not start with a major version number, so the default of " +
			"rds.force_ssl cannot be told")
		return 0, policy.Invalid
	}
	return n, policy.Known
}
