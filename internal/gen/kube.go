package gen

import (
	"fmt"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/hardeningtest"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// KubeStack returns exactly n resources in the EKS installer's shapes
// (update mode): per copy, a namespace's Secrets (stringData as Pulumi
// secrets), a ConfigMap, a ServiceAccount, the API Deployment (a migrations
// init container, variables from values and secretKeyRefs, an envFrom of
// the ConfigMap) and the Console Deployment, their ClusterIP Services, an
// ALB-controller Ingress, a NetworkPolicy and a LoadBalancer Service.
func KubeStack(n int) []*hardeningtest.Resource {
	var out []*hardeningtest.Resource
	for k := 0; len(out) < n; k++ {
		out = append(out, kubeCopy(k)...)
	}
	return out[:n]
}

func kubeCopy(k int) []*hardeningtest.Resource {
	ns := fmt.Sprintf("pulumi-%d", k)
	var out []*hardeningtest.Resource
	add := func(typ, name string, in map[string]any) {
		name = suffix(name, k)
		v := props.FromGo(in)
		v = props.Rewrite(v, func(x props.Value) props.Value {
			if s, ok := x.Str(); ok && len(s) > 7 && s[:7] == "secret:" {
				return props.Secret(props.NewString(s[7:]))
			}
			return x
		})
		inputs := props.EncodeObject(v)
		outputs := props.EncodeObject(v)
		outputs.Fields["id"] = structpb.NewStringValue(ns + "/" + name)
		out = append(out, &hardeningtest.Resource{
			URN: "urn:pulumi:dev::bench::" + typ + "::" + name, Type: typ, Name: name, Custom: true,
			Inputs: inputs, Outputs: outputs,
		})
	}
	meta := func(name string) map[string]any { return map[string]any{"namespace": ns, "name": suffix(name, k)} }
	secretRef := func(name, secret, key string) map[string]any {
		return map[string]any{"name": name, "valueFrom": map[string]any{"secretKeyRef": map[string]any{
			"name": suffix(secret, k), "key": key}}}
	}
	value := func(name, v string) map[string]any { return map[string]any{"name": name, "value": v} }
	labels := func(app string) map[string]any { return map[string]any{"app": app} }
	add("kubernetes:core/v1:Secret", "license-key", map[string]any{"metadata": meta("license-key"),
		"stringData": map[string]any{"key": "secret:lic-bench"}})
	add("kubernetes:core/v1:Secret", "db-conn", map[string]any{"metadata": meta("db-conn"),
		"stringData": map[string]any{"host": "secret:db", "username": "secret:pulumi", "password": "secret:pw-bench"}})
	add("kubernetes:core/v1:ConfigMap", "api-env", map[string]any{"metadata": meta("api-env"),
		"data": map[string]any{"PULUMI_API_DOMAIN": "api.example.com", "AWS_REGION": "us-west-2"}})
	add("kubernetes:core/v1:ServiceAccount", "pulumi-api", map[string]any{"metadata": meta("pulumi-api")})
	add("kubernetes:apps/v1:Deployment", "pulumi-api", map[string]any{"metadata": meta("pulumi-api"),
		"spec": map[string]any{"template": map[string]any{"metadata": map[string]any{"labels": labels("api")},
			"spec": map[string]any{
				"initContainers": []any{map[string]any{"name": "migration", "image": "pulumi/migrations:1",
					"env": []any{secretRef("PULUMI_DATABASE_ENDPOINT", "db-conn", "host"),
						secretRef("MYSQL_ROOT_PASSWORD", "db-conn", "password")}}},
				"containers": []any{map[string]any{"name": "api", "image": "pulumi/service:1",
					"envFrom": []any{map[string]any{"configMapRef": map[string]any{"name": suffix("api-env", k)}}},
					"env": []any{secretRef("PULUMI_LICENSE_KEY", "license-key", "key"),
						secretRef("MYSQL_ROOT_PASSWORD", "db-conn", "password"), value("PULUMI_ENTERPRISE", "true"),
						value("PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT", "s3://checkpoints")}}},
			}}}})
	add("kubernetes:apps/v1:Deployment", "pulumi-console", map[string]any{"metadata": meta("pulumi-console"),
		"spec": map[string]any{"template": map[string]any{"metadata": map[string]any{"labels": labels("console")},
			"spec": map[string]any{"containers": []any{map[string]any{"name": "console", "image": "pulumi/console:1",
				"env": []any{value("PULUMI_CONSOLE_DOMAIN", "app.example.com")}}}}}}})
	for _, app := range []string{"api", "console"} {
		add("kubernetes:core/v1:Service", "pulumi-"+app, map[string]any{"metadata": meta("pulumi-" + app),
			"spec": map[string]any{"type": "ClusterIP", "selector": labels(app),
				"ports": []any{map[string]any{"port": 80}}}})
	}
	add("kubernetes:networking.k8s.io/v1:Ingress", "pulumi-api", map[string]any{"metadata": map[string]any{
		"namespace": ns, "annotations": map[string]any{
			"kubernetes.io/ingress.class":               "alb",
			"alb.ingress.kubernetes.io/scheme":          "internet-facing",
			"alb.ingress.kubernetes.io/listen-ports":    `[{"HTTP": 80}, {"HTTPS": 443}]`,
			"alb.ingress.kubernetes.io/certificate-arn": mockARN + "cert",
			"alb.ingress.kubernetes.io/security-groups": "sg-0external",
		}}, "spec": map[string]any{}})
	add("kubernetes:networking.k8s.io/v1:NetworkPolicy", "pulumi-api", map[string]any{"metadata": meta("pulumi-api"),
		"spec": map[string]any{"podSelector": map[string]any{"matchLabels": labels("api")},
			"policyTypes": []any{"Ingress"},
			"ingress":     []any{map[string]any{"from": []any{map[string]any{"ipBlock": map[string]any{"cidr": "10.0.0.0/16"}}}}}}})
	add("kubernetes:core/v1:Service", "edge", map[string]any{"metadata": meta("edge"),
		"spec": map[string]any{"type": "LoadBalancer", "loadBalancerSourceRanges": []any{"203.0.113.0/24"},
			"ports": []any{map[string]any{"port": 443}}}})
	return out
}
