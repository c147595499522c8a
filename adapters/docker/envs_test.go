package docker_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/adapters/docker"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

func strs(items ...string) props.Value {
	out := make([]props.Value, len(items))
	for i, s := range items {
		out[i] = props.NewString(s)
	}
	return props.NewArray(out...)
}

// TestParseEnvs covers envs' shapes: entries, secret entries, entries
// without "=" or a name, unknown entries and lists, and wrong types.
func TestParseEnvs(t *testing.T) {
	secret := props.Secret(props.NewString("PULUMI_LICENSE_KEY=eyJhbGciOi.secret"))
	cases := []struct {
		name    string
		in      props.Value
		names   []string // names of the entries that set a variable
		unknown []int    // indexes of unknown entries
		problem []int    // indexes of entries that set nothing
		listUnk bool
		listBad bool
	}{
		{name: "absent", in: props.NewNull()},
		{name: "plain", in: strs("A=1", "B=", "C=x=y"), names: []string{"A", "B", "C"}},
		{name: "secret entry", in: props.NewArray(props.NewString("A=1"), secret),
			names: []string{"A", "PULUMI_LICENSE_KEY"}},
		{name: "no equals", in: strs("A=1", "NOVALUE", "hunter2secret"), names: []string{"A"}, problem: []int{1, 2}},
		{name: "no name", in: strs("=value", " =x", "B=2"), names: []string{"B"}, problem: []int{0, 1}},
		{name: "unknown entry", in: props.NewArray(props.NewString("A=1"), props.NewUnknown()), names: []string{"A"},
			unknown: []int{1}},
		{name: "unknown list", in: props.NewUnknown(), listUnk: true},
		{name: "not a list", in: props.NewString("A=1"), listBad: true},
		{name: "map instead of list", in: props.NewObject(map[string]props.Value{"A": props.NewString("1")}), listBad: true},
		{name: "number entry", in: props.NewArray(props.NewNumber(3), props.NewNull(), props.NewString("A=1")),
			names: []string{"A"}, problem: []int{0, 1}},
		{name: "duplicates kept", in: strs("A=1", "A=2"), names: []string{"A", "A"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := docker.ParseEnvs(c.in)
			if e.Unknown != c.listUnk || (e.Problem != "") != c.listBad {
				t.Fatalf("list: unknown %v problem %q, want unknown %v problem %v", e.Unknown, e.Problem, c.listUnk, c.listBad)
			}
			var names []string
			var unknown, problem []int
			for _, x := range e.Entries {
				switch {
				case x.Unknown:
					unknown = append(unknown, x.Index)
				case x.Problem != "":
					problem = append(problem, x.Index)
				default:
					names = append(names, x.Name)
				}
			}
			if fmt.Sprint(names) != fmt.Sprint(c.names) || fmt.Sprint(unknown) != fmt.Sprint(c.unknown) ||
				fmt.Sprint(problem) != fmt.Sprint(c.problem) {
				t.Errorf("names %v unknown %v problem %v, want %v %v %v", names, unknown, problem, c.names,
					c.unknown, c.problem)
			}
			for _, x := range e.Entries {
				if x.Problem != "" && strings.Contains(x.Problem, "hunter2") {
					t.Errorf("problem quotes the entry: %q", x.Problem)
				}
			}
		})
	}
	// A secret entry's value stays secret; its name is read.
	e := docker.ParseEnvs(props.NewArray(secret))
	if v := e.Entries[0].Value; !v.IsSecret() || e.Entries[0].Name != "PULUMI_LICENSE_KEY" {
		t.Errorf("secret entry: name %q, value secret %v", e.Entries[0].Name, v.IsSecret())
	}
}

// TestResolveConflicts checks that the first entry wins and that only
// duplicates with different values are conflicts.
func TestResolveConflicts(t *testing.T) {
	e := docker.ParseEnvs(strs("A=1", "B=x", "A=2", "B=x", "C=1", "NOEQ"))
	first, conflicts := docker.Resolve(e.Entries)
	if v, _ := first["A"].Value.Str(); v != "1" {
		t.Errorf("A = %q, want the first entry's 1", v)
	}
	if fmt.Sprint(conflicts) != "[A]" {
		t.Errorf("conflicts %v, want [A]", conflicts)
	}
	if _, ok := first["NOEQ"]; ok {
		t.Error("an entry without = sets a variable")
	}
}

// oracleEnv is what a Go program in a Docker container reads for each name,
// modelled independently of the parser: moby builds the process
// environment from its defaults and Config.Env (daemon/container/env.go,
// ReplaceOrAppendEnvValues: a KEY=value entry replaces a default of the same
// key or is appended, later duplicates appended too; an entry without "="
// removes a default), and Go's syscall.copyenv keeps the first of duplicate
// keys.
func oracleEnv(entries []string) map[string]string {
	env := []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=abc123"}
	cache := map[string]int{}
	for i, e := range env {
		cache[e[:strings.IndexByte(e, '=')]] = i
	}
	for _, v := range entries {
		k, _, ok := strings.Cut(v, "=")
		if !ok {
			if i, exists := cache[v]; exists {
				env[i] = ""
			}
			continue
		}
		if i, exists := cache[k]; exists {
			env[i] = v
		} else {
			env = append(env, v)
		}
	}
	out := map[string]string{}
	for _, e := range env {
		k, v, ok := strings.Cut(e, "=")
		if !ok {
			continue
		}
		if _, seen := out[k]; !seen {
			out[k] = v
		}
	}
	return out
}

// checkOracle compares the parser's view with the oracle, for every name
// but the daemon's defaults and the empty name (which no program reads).
func checkOracle(t *testing.T, entries []string) {
	t.Helper()
	first, _ := docker.Resolve(docker.ParseEnvs(strs(entries...)).Entries)
	want := oracleEnv(entries)
	for k, v := range want {
		if k == "PATH" || k == "HOSTNAME" || strings.TrimSpace(k) == "" {
			continue
		}
		got, ok := first[k]
		if s, _ := got.Value.Str(); !ok || s != v {
			t.Errorf("%q: %q reads %q, the parser has %q (set %v)", entries, k, v, s, ok)
		}
	}
	for k := range first {
		if _, ok := want[k]; !ok {
			t.Errorf("%q: the parser sets %q, which the container does not have", entries, k)
		}
	}
}

func TestEnvsOracle(t *testing.T) {
	for _, entries := range envSeeds {
		checkOracle(t, entries)
	}
}

var envSeeds = [][]string{
	{"A=1"},
	{"A=1", "A=2"},
	{"A=1", "A", "A=3"},
	{"=x", "B=2"},
	{"PATH=/x", "A=1"},
	{"HOSTNAME", "A=b=c"},
	{" A=1", "A=2"},
	{"API_TLS_PRIVATE_KEY=/run/secrets/api.key", "PULUMI_LICENSE_KEY=eyJ.x.y"},
	{"S3=s3://bucket?endpoint=minio:9000&disableSSL=true&s3ForcePathStyle=true"},
	{""},
}

// FuzzParseEnvs checks the parser against the oracle on any entries
// (newline-separated), and that a problem never depends on, so never
// quotes, the entry's text.
func FuzzParseEnvs(f *testing.F) {
	for _, s := range envSeeds {
		f.Add(strings.Join(s, "\n"))
	}
	f.Fuzz(func(t *testing.T, in string) {
		entries := strings.Split(in, "\n")
		checkOracle(t, entries)
		e := docker.ParseEnvs(strs(entries...))
		for _, x := range e.Entries {
			if x.Problem == "" {
				continue
			}
			// The same kind of entry with other text has the same problem.
			other := "X"
			if strings.Contains(entries[x.Index], "=") {
				other = "=X"
			}
			alt := make([]string, len(entries))
			copy(alt, entries)
			alt[x.Index] = other
			if p := docker.ParseEnvs(strs(alt...)).Entries[x.Index].Problem; p != x.Problem {
				t.Errorf("the problem of entry %d depends on its text: %q vs %q", x.Index, x.Problem, p)
			}
		}
	})
}

func TestParseHostIP(t *testing.T) {
	for _, c := range []struct {
		in       string
		ok, all  bool
		loopback bool
	}{
		{"", true, true, false}, {"0.0.0.0", true, true, false}, {"::", true, true, false},
		{"[::]", true, true, false}, {"127.0.0.1", true, false, true}, {"::1", true, false, true},
		{"10.0.0.5", true, false, false}, {"::ffff:0.0.0.0", true, true, false}, {"localhost", false, false, false},
		{"0.0.0.0/0", false, false, false},
	} {
		a, ok := docker.ParseHostIP(c.in)
		if ok != c.ok || (ok && (a.IsUnspecified() != c.all || a.IsLoopback() != c.loopback)) {
			t.Errorf("%q: ok %v unspecified %v loopback %v, want %v %v %v", c.in, ok, a.IsUnspecified(),
				a.IsLoopback(), c.ok, c.all, c.loopback)
		}
	}
}
