package workload_test

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

func TestSources(t *testing.T) {
	cases := []struct {
		src   workload.Source
		name  string
		plain bool
	}{
		{workload.Plain, "plain value", true},
		{workload.SecretStore, "secret store", false},
		{workload.ConfigMap, "ConfigMap", true},
		{workload.Computed, "computed", false},
		{0, "unknown", false},
		{workload.Source(99), "unknown", false},
	}
	for _, c := range cases {
		if got := c.src.String(); got != c.name {
			t.Errorf("Source(%d).String() = %q, want %q", int(c.src), got, c.name)
		}
		if got := c.src.InPlainText(); got != c.plain {
			t.Errorf("Source(%d).InPlainText() = %v, want %v", int(c.src), got, c.plain)
		}
	}
}

func TestLookup(t *testing.T) {
	c := workload.Container{Vars: []workload.Var{
		{Name: "API_TLS_CERTIFICATE", Path: "env[0]", Source: workload.SecretStore, From: `Secret "tls" key "crt"`},
		{Name: "MODE", Path: "env[1]", Source: workload.Plain, Value: props.NewString("a")},
		// A second definition (Kubernetes: from envFrom, which env overrides).
		{Name: "MODE", Path: "envFrom[0]", Source: workload.ConfigMap, Value: props.NewString("b")},
	}}
	cases := []struct {
		name, path string
		ok         bool
	}{
		{"API_TLS_CERTIFICATE", "env[0]", true},
		{"MODE", "env[1]", true}, // the first definition counts
		{"mode", "", false},      // names are case-sensitive
		{"API_TLS_PRIVATE_KEY", "", false},
		{"", "", false},
	}
	for _, cc := range cases {
		v, ok := c.Lookup(cc.name)
		if ok != cc.ok || v.Path != cc.path {
			t.Errorf("Lookup(%q) = %+v, %v; want path %q, %v", cc.name, v, ok, cc.path, cc.ok)
		}
	}
	if _, ok := (workload.Container{}).Lookup("MODE"); ok {
		t.Error("a container without variables found one")
	}
}

func TestUnseen(t *testing.T) {
	cases := []struct {
		name string
		c    workload.Container
		want bool
	}{
		{"all visible", workload.Container{Vars: []workload.Var{{Name: "A"}}}, false},
		{"environment files", workload.Container{Opaque: []string{"arn:aws:s3:::b/o"}}, true},
		{"pending", workload.Container{Pending: true}, true},
		{"secret volumes are not variables", workload.Container{SecretVolumes: []string{"tls at /tls"}}, false},
	}
	for _, c := range cases {
		if got := c.c.Unseen(); got != c.want {
			t.Errorf("%s: Unseen() = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestImageRepository(t *testing.T) {
	cases := []struct{ image, want string }{
		{"pulumi/service", "pulumi/service"},
		{"pulumi/service:1.2", "pulumi/service"},
		{"pulumi/service@sha256:abc", "pulumi/service"},
		{"pulumi/service:1.2@sha256:abc", "pulumi/service"},
		{"123.dkr.ecr.us-west-2.amazonaws.com/pulumi/service:1.2", "pulumi/service"},
		{"docker.io/pulumi/console:latest", "pulumi/console"},
		{"localhost/pulumi/service", "pulumi/service"},
		{"localhost:5000/pulumi/service:3", "pulumi/service"},
		{"registry:5000/service", "service"},
		{"myorg/service:1", "myorg/service"}, // no dot, port or localhost: a namespace, not a registry
		{"nginx", "nginx"},
		{"nginx:1.27", "nginx"},
		// Malformed references give something, never a panic.
		{"", ""},
		{":", ""},
		{"@", ""},
		{"/", "/"},
		{"a:b/c", "c"},
		{"::::", ":::"},
		{"@@@", ""},
		{"host.example/", ""},
	}
	for _, c := range cases {
		if got := workload.ImageRepository(c.image); got != c.want {
			t.Errorf("ImageRepository(%q) = %q, want %q", c.image, got, c.want)
		}
	}
}

func TestBlank(t *testing.T) {
	cases := []struct {
		name string
		v    workload.Var
		want workload.Blank
	}{
		{"plain value", workload.Var{Source: workload.Plain, Value: props.NewString("smtp.example.com")}, workload.NotEmpty},
		{"plain empty", workload.Var{Source: workload.Plain, Value: props.NewString("")}, workload.Empty},
		{"plain white space", workload.Var{Source: workload.Plain, Value: props.NewString(" \t\n")}, workload.Empty},
		{"plain without a value", workload.Var{Source: workload.Plain}, workload.Empty},
		{"plain unknown", workload.Var{Source: workload.Plain, Value: props.NewUnknown()}, workload.BlankUnknown},
		{"plain secret empty", workload.Var{Source: workload.Plain, Value: props.Secret(props.NewString(""))}, workload.Empty},
		{"plain number", workload.Var{Source: workload.Plain, Value: props.NewNumber(0)}, workload.NotEmpty},
		{"configmap empty", workload.Var{Source: workload.ConfigMap, Value: props.NewString("")}, workload.Empty},
		{"configmap out of sight", workload.Var{Source: workload.ConfigMap}, workload.NotEmpty},
		{"secret store out of sight", workload.Var{Source: workload.SecretStore}, workload.NotEmpty},
		{"secret store empty", workload.Var{Source: workload.SecretStore, SecretBlank: workload.Empty}, workload.Empty},
		{"secret store unknown", workload.Var{Source: workload.SecretStore, SecretBlank: workload.BlankUnknown},
			workload.BlankUnknown},
		{"computed", workload.Var{Source: workload.Computed}, workload.NotEmpty},
	}
	for _, c := range cases {
		if got := c.v.Blank(); got != c.want {
			t.Errorf("%s: Blank() = %d, want %d", c.name, got, c.want)
		}
	}
}
