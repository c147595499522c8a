package policies_test

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	batchv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/batch/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/selfhosted-hardening/selfhosted-hardening/hardeningtest"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
)

// Program-level tests of the container and secrets policies on Kubernetes
// workloads, written with the pulumi-kubernetes Go SDK the way the EKS
// installer (eks-hosted/90-pulumi-service) deploys the service: a
// namespace, Secrets with stringData (license key, database connection,
// SMTP, reCAPTCHA, SAML, TLS keys), a service account, the API Deployment
// with the migrations as an initContainer, the Console Deployment and their
// Services. Where a rule is shared with ECS, each case is built once,
// platform-neutrally, and rendered both as ECS task definitions (pulumi-aws
// v6) and as Kubernetes Deployments of the same names, and the same
// findings are expected of both.

// Distinctive secret values. None may appear in any finding.
const (
	k8sLicenseKey     = "K8S-LIC-5c1d-do-not-print"
	k8sDBPassword     = "K8S-Db-Pw-93ae7f"
	k8sSMTPPassword   = "K8S-Smtp-Pw-71f0aa"
	k8sRecaptchaKey   = "K8S-Recaptcha-Sk-2b44c9"
	k8sSAMLKey        = "K8S-Saml-Private-Key-0f9e"
	k8sAPITLSKey      = "K8S-Api-Tls-Key-8d2b17"
	k8sConsoleTLSKey  = "K8S-Console-Tls-Key-4a6c03"
	k8sURLPassword    = "K8S-Url-Pw-c0de55"
	k8sSidecarToken   = "K8S-Sidecar-Api-Key-77e1d0"
	k8sRawSecretValue = "K8S-Raw-Secret-Value-1e3a"
	k8sKubeconfig     = "apiVersion: v1\nkind: Config\nusers: [{name: k8s-Kubeconfig-Token-93d1}]"
)

var k8sSecretValues = []string{k8sLicenseKey, k8sDBPassword, k8sSMTPPassword, k8sRecaptchaKey, k8sSAMLKey,
	k8sAPITLSKey, k8sConsoleTLSKey, k8sURLPassword, k8sSidecarToken, k8sRawSecretValue, k8sKubeconfig,
	"k8s-Kubeconfig-Token-93d1",
	base64.StdEncoding.EncodeToString([]byte(k8sRawSecretValue))}

const (
	k8sAPIImage        = "pulumi/service:20250415-1234"
	k8sConsoleImage    = "pulumi/console:20250415-1234"
	k8sMigrationsImage = "pulumi/migrations:20250415-1234"
	k8sCert            = "-----BEGIN CERTIFICATE-----MIIBszCCAVmgAwIBAgIUk8s-----END CERTIFICATE-----"
	k8sNamespace       = "pulumi"
	// The license key reaches the program as secret stack config.
	k8sLicenseConfig = "project:licenseKey"
)

// k8sSource is where a variable's value comes from.
type k8sSource int

const (
	// ECS: environment; Kubernetes: env value.
	k8sPlain k8sSource = iota
	// ECS: secrets (an SSM SecureString parameter); Kubernetes:
	// valueFrom.secretKeyRef.
	k8sFromSecret
	// ECS: environment (there are no ConfigMaps, and a ConfigMap is plain
	// text); Kubernetes: valueFrom.configMapKeyRef.
	k8sFromConfigMap
	// The license key from stack config read with Require instead of
	// RequireSecret (the ECS installer's mistake), into the plain
	// environment.
	k8sFromConfigPlainly
	// Kubernetes: valueFrom.fieldRef (computed by the kubelet).
	k8sFromFieldRef
)

type k8sVar struct {
	name, value string
	from        k8sSource
}

// k8sEnvFrom is a Kubernetes envFrom entry: an in-stack Secret or ConfigMap
// holding vars (keys), or, when external is set, one outside the stack.
type k8sEnvFrom struct {
	secret   bool
	name     string // logical name of the in-stack object
	external string // the name of an object outside the stack
	prefix   string // envFrom prefix: the object's keys are the names without it
	vars     []k8sVar
}

type k8sContainer struct {
	name, image string
	init        bool // Kubernetes initContainer; on ECS a non-essential container
	env         []k8sVar
	envFrom     []k8sEnvFrom // Kubernetes only
}

type k8sWorkload struct {
	name       string // the task definition's and the workload's logical name
	kind       string // Kubernetes kind; "" is Deployment
	containers []k8sContainer
	// envUnknown builds the first container's env (ECS: the whole
	// containerDefinitions) with ApplyT on an id, unknown in preview.
	envUnknown bool
}

type k8sSpec struct {
	workloads []k8sWorkload
}

// k8sHardened is the service as the hardening guide wants it: every secret
// from a Secret (SSM SecureString on ECS), TLS on all three hops, SMTP and
// reCAPTCHA configured.
func k8sHardened() *k8sSpec {
	db := []k8sVar{
		{"PULUMI_DATABASE_ENDPOINT", "db.internal:3306", k8sFromSecret},
		{"MYSQL_ROOT_USERNAME", "pulumi", k8sFromSecret},
		{"MYSQL_ROOT_PASSWORD", k8sDBPassword, k8sFromSecret},
	}
	dbTLS := []k8sVar{
		{"DATABASE_CA_CERTIFICATE", k8sCert, k8sPlain},
		{"DATABASE_MIN_TLS_VERSION", "1.2", k8sPlain},
	}
	api := append(append([]k8sVar{
		{"PULUMI_ENTERPRISE", "true", k8sPlain},
		{"PULUMI_API_DOMAIN", "api.example.com", k8sPlain},
		{"PULUMI_CONSOLE_DOMAIN", "app.example.com", k8sPlain},
		{"PULUMI_DATABASE_NAME", "pulumi", k8sPlain},
		{"PULUMI_LICENSE_KEY", k8sLicenseKey, k8sFromSecret},
		{"API_TLS_CERTIFICATE", k8sCert, k8sPlain},
		{"API_TLS_PRIVATE_KEY", k8sAPITLSKey, k8sFromSecret},
		{"API_MIN_TLS_VERSION", "1.2", k8sPlain},
		{"SMTP_SERVER", "smtp.example.com:587", k8sPlain},
		{"SMTP_USERNAME", "mailer", k8sFromSecret},
		{"SMTP_PASSWORD", k8sSMTPPassword, k8sFromSecret},
		{"SMTP_GENERIC_SENDER", "noreply@example.com", k8sPlain},
		{"RECAPTCHA_SECRET_KEY", k8sRecaptchaKey, k8sFromSecret},
		{"SAML_CERTIFICATE_PRIVATE_KEY", k8sSAMLKey, k8sFromSecret},
	}, db...), dbTLS...)
	migrations := append(append([]k8sVar{
		{"PULUMI_DATABASE_PING_ENDPOINT", "db.internal", k8sFromSecret},
	}, db...), dbTLS...)
	return &k8sSpec{workloads: []k8sWorkload{
		{name: "api", containers: []k8sContainer{
			{name: "migration", image: k8sMigrationsImage, init: true, env: migrations},
			{name: "pulumi-service", image: k8sAPIImage, env: api},
		}},
		{name: "console", containers: []k8sContainer{
			{name: "pulumi-console", image: k8sConsoleImage, env: []k8sVar{
				{"PULUMI_CONSOLE_DOMAIN", "app.example.com", k8sPlain},
				{"PULUMI_API", "https://api.example.com", k8sPlain},
				{"SAML_SSO_ENABLED", "true", k8sPlain},
				{"CONSOLE_TLS_CERTIFICATE", k8sCert, k8sPlain},
				{"CONSOLE_TLS_PRIVATE_KEY", k8sConsoleTLSKey, k8sFromSecret},
				{"RECAPTCHA_SITE_KEY", "site-key-public", k8sFromSecret},
			}},
		}},
	}}
}

// Edits of a spec, by container name.

type k8sEdit func(*k8sSpec)

func (s *k8sSpec) with(edits ...k8sEdit) *k8sSpec {
	for _, e := range edits {
		e(s)
	}
	return s
}

func (s *k8sSpec) container(name string) *k8sContainer {
	for i := range s.workloads {
		for j := range s.workloads[i].containers {
			if c := &s.workloads[i].containers[j]; c.name == name {
				return c
			}
		}
	}
	panic("no container " + name)
}

func (s *k8sSpec) workload(name string) *k8sWorkload {
	for i := range s.workloads {
		if s.workloads[i].name == name {
			return &s.workloads[i]
		}
	}
	panic("no workload " + name)
}

// k8sSet sets a variable of a container (replacing it if present).
func k8sSet(container, name, value string, from k8sSource) k8sEdit {
	return func(s *k8sSpec) {
		c := s.container(container)
		for i := range c.env {
			if c.env[i].name == name {
				c.env[i] = k8sVar{name, value, from}
				return
			}
		}
		c.env = append(c.env, k8sVar{name, value, from})
	}
}

// k8sDrop removes variables from a container.
func k8sDrop(container string, names ...string) k8sEdit {
	return func(s *k8sSpec) {
		c := s.container(container)
		var kept []k8sVar
		for _, v := range c.env {
			drop := false
			for _, n := range names {
				drop = drop || v.name == n
			}
			if !drop {
				kept = append(kept, v)
			}
		}
		c.env = kept
	}
}

// k8sMove takes variables out of a container's env and into an envFrom
// source.
func k8sMove(container string, from k8sEnvFrom, names ...string) k8sEdit {
	return func(s *k8sSpec) {
		c := s.container(container)
		for _, n := range names {
			for _, v := range c.env {
				if v.name == n {
					from.vars = append(from.vars, v)
				}
			}
		}
		k8sDrop(container, names...)(s)
		c.envFrom = append(c.envFrom, from)
	}
}

func k8sImage(container, image string) k8sEdit {
	return func(s *k8sSpec) { s.container(container).image = image }
}

func k8sAddContainer(workload string, c k8sContainer) k8sEdit {
	return func(s *k8sSpec) {
		w := s.workload(workload)
		w.containers = append(w.containers, c)
	}
}

func k8sEnvUnknown(workload string) k8sEdit {
	return func(s *k8sSpec) { s.workload(workload).envUnknown = true }
}

// k8sSecretOf is where the Kubernetes program keeps a secret variable:
// the installer's Secrets (license-key, aurora-db-conn, smtp-conn,
// recaptcha, saml-sso) and kubernetes.io/tls Secrets for the TLS keys.
func k8sSecretOf(workload, name string) (secret, key string) {
	switch name {
	case "PULUMI_LICENSE_KEY":
		return "license-key", "key"
	case "PULUMI_DATABASE_ENDPOINT":
		return "aurora-db-conn", "endpoint"
	case "PULUMI_DATABASE_PING_ENDPOINT":
		return "aurora-db-conn", "host"
	case "MYSQL_ROOT_USERNAME":
		return "aurora-db-conn", "username"
	case "MYSQL_ROOT_PASSWORD":
		return "aurora-db-conn", "password"
	case "SMTP_SERVER", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_GENERIC_SENDER":
		return "smtp-conn", strings.ToLower(strings.TrimPrefix(name, "SMTP_"))
	case "RECAPTCHA_SECRET_KEY":
		return "recaptcha", "secretKey"
	case "RECAPTCHA_SITE_KEY":
		return "recaptcha", "siteKey"
	case "SAML_CERTIFICATE_PRIVATE_KEY":
		return "saml-sso", "privatekey"
	case "API_TLS_PRIVATE_KEY":
		return "api-tls", "tls.key"
	case "CONSOLE_TLS_PRIVATE_KEY":
		return "console-tls", "tls.key"
	}
	return workload + "-env", name
}

// ---- The Kubernetes rendering ----

// k8sProgram renders the spec with the pulumi-kubernetes SDK.
func (s *k8sSpec) k8sProgram(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	// The installer's explicit provider, from a secret kubeconfig.
	provider, err := kubernetes.NewProvider(ctx, "provider", &kubernetes.ProviderArgs{
		Kubeconfig: cfg.RequireSecret("kubeconfig"), DeleteUnreachable: pulumi.Bool(true)})
	if err != nil {
		return err
	}
	opt := pulumi.Provider(provider)
	ns, err := corev1.NewNamespace(ctx, k8sNamespace, &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(k8sNamespace)},
	}, opt)
	if err != nil {
		return err
	}
	meta := func(extra ...string) *metav1.ObjectMetaArgs {
		m := &metav1.ObjectMetaArgs{Namespace: ns.Metadata.Name()}
		if len(extra) > 0 {
			m.Labels = pulumi.StringMap{"app": pulumi.String(extra[0])}
		}
		return m
	}
	value := func(v k8sVar) pulumi.StringInput {
		if v.name == "PULUMI_LICENSE_KEY" && v.value == k8sLicenseKey {
			if v.from == k8sFromConfigPlainly {
				return pulumi.String(cfg.Require("licenseKey"))
			}
			return cfg.RequireSecret("licenseKey")
		}
		return pulumi.String(v.value)
	}

	// The Secrets and ConfigMaps the variables come from, in a stable order.
	secretData := map[string]pulumi.StringMap{}
	configData := map[string]pulumi.StringMap{}
	var secretOrder, configOrder []string
	addSecret := func(name, key string, v pulumi.StringInput) {
		if _, ok := secretData[name]; !ok {
			secretData[name] = pulumi.StringMap{}
			secretOrder = append(secretOrder, name)
		}
		secretData[name][key] = v
	}
	addConfig := func(name, key string, v pulumi.StringInput) {
		if _, ok := configData[name]; !ok {
			configData[name] = pulumi.StringMap{}
			configOrder = append(configOrder, name)
		}
		configData[name][key] = v
	}
	for _, w := range s.workloads {
		for _, c := range w.containers {
			for _, v := range c.env {
				switch v.from {
				case k8sFromSecret:
					name, key := k8sSecretOf(w.name, v.name)
					addSecret(name, key, value(v))
				case k8sFromConfigMap:
					addConfig(w.name+"-config", v.name, value(v))
				}
			}
			for _, f := range c.envFrom {
				if f.external != "" {
					continue
				}
				for _, v := range f.vars {
					key := strings.TrimPrefix(v.name, f.prefix)
					if f.secret {
						addSecret(f.name, key, value(v))
					} else {
						addConfig(f.name, key, value(v))
					}
				}
			}
		}
	}
	secrets := map[string]*corev1.Secret{}
	for _, name := range secretOrder {
		args := &corev1.SecretArgs{Metadata: meta(), StringData: secretData[name]}
		if strings.HasSuffix(name, "-tls") {
			args.Type = pulumi.String("kubernetes.io/tls")
			args.StringData.(pulumi.StringMap)["tls.crt"] = pulumi.String(k8sCert)
		}
		sec, err := corev1.NewSecret(ctx, name, args, opt)
		if err != nil {
			return err
		}
		secrets[name] = sec
	}
	configMaps := map[string]*corev1.ConfigMap{}
	for _, name := range configOrder {
		cm, err := corev1.NewConfigMap(ctx, name, &corev1.ConfigMapArgs{Metadata: meta(), Data: configData[name]}, opt)
		if err != nil {
			return err
		}
		configMaps[name] = cm
	}
	sa, err := corev1.NewServiceAccount(ctx, "pulumi-api", &corev1.ServiceAccountArgs{
		Metadata: &metav1.ObjectMetaArgs{Namespace: ns.Metadata.Name(), Name: pulumi.String("pulumi-api")},
	}, opt)
	if err != nil {
		return err
	}

	for _, w := range s.workloads {
		var containers, inits corev1.ContainerArray
		for i, c := range w.containers {
			var env corev1.EnvVarArray
			for _, v := range c.env {
				e := corev1.EnvVarArgs{Name: pulumi.String(v.name)}
				switch v.from {
				case k8sPlain, k8sFromConfigPlainly:
					e.Value = value(v)
				case k8sFromSecret:
					name, key := k8sSecretOf(w.name, v.name)
					e.ValueFrom = &corev1.EnvVarSourceArgs{SecretKeyRef: &corev1.SecretKeySelectorArgs{
						Name: secrets[name].Metadata.Name(), Key: pulumi.String(key),
					}}
				case k8sFromConfigMap:
					e.ValueFrom = &corev1.EnvVarSourceArgs{ConfigMapKeyRef: &corev1.ConfigMapKeySelectorArgs{
						Name: configMaps[w.name+"-config"].Metadata.Name(), Key: pulumi.String(v.name),
					}}
				case k8sFromFieldRef:
					e.ValueFrom = &corev1.EnvVarSourceArgs{FieldRef: &corev1.ObjectFieldSelectorArgs{
						FieldPath: pulumi.String(v.value)}}
				}
				env = append(env, e)
			}
			var envFrom corev1.EnvFromSourceArray
			for _, f := range c.envFrom {
				var name pulumi.StringPtrInput
				switch {
				case f.external != "":
					name = pulumi.String(f.external)
				case f.secret:
					name = secrets[f.name].Metadata.Name()
				default:
					name = configMaps[f.name].Metadata.Name()
				}
				src := corev1.EnvFromSourceArgs{ConfigMapRef: &corev1.ConfigMapEnvSourceArgs{Name: name}}
				if f.secret {
					src = corev1.EnvFromSourceArgs{SecretRef: &corev1.SecretEnvSourceArgs{Name: name}}
				}
				if f.prefix != "" {
					src.Prefix = pulumi.String(f.prefix)
				}
				envFrom = append(envFrom, src)
			}
			var envInput corev1.EnvVarArrayInput = env
			if w.envUnknown && i == k8sFirstMain(w) {
				// The installer's serviceEnv: built in an apply over outputs.
				envInput = pulumi.All(ns.ID(), env.ToEnvVarArrayOutput()).ApplyT(
					func(xs []any) []corev1.EnvVar { return xs[1].([]corev1.EnvVar) }).(corev1.EnvVarArrayOutput)
			}
			ca := corev1.ContainerArgs{Name: pulumi.String(c.name), Image: pulumi.String(c.image), Env: envInput}
			if len(envFrom) > 0 {
				ca.EnvFrom = envFrom
			}
			if c.init {
				inits = append(inits, ca)
			} else {
				ca.Ports = corev1.ContainerPortArray{corev1.ContainerPortArgs{ContainerPort: pulumi.Int(k8sPort(w.name))}}
				containers = append(containers, ca)
			}
		}
		pod := corev1.PodSpecArgs{Containers: containers}
		if len(inits) > 0 {
			pod.InitContainers = inits
		}
		if w.name == "api" {
			pod.ServiceAccountName = sa.Metadata.Name()
		}
		if err := k8sWorkloadResource(ctx, w, meta(w.name), pod, opt); err != nil {
			return err
		}
		if w.kind == "" || w.kind == "Deployment" {
			if _, err := corev1.NewService(ctx, w.name+"-svc", &corev1.ServiceArgs{
				Metadata: meta(w.name),
				Spec: &corev1.ServiceSpecArgs{
					Selector: pulumi.StringMap{"app": pulumi.String(w.name)},
					Ports: corev1.ServicePortArray{corev1.ServicePortArgs{
						Port: pulumi.Int(k8sPort(w.name)), TargetPort: pulumi.Int(k8sPort(w.name)),
					}},
				},
			}, opt); err != nil {
				return err
			}
		}
	}
	return nil
}

func k8sPort(workload string) int {
	if workload == "console" {
		return 3000
	}
	return 8443
}

// k8sFirstMain is the index of the first container that is not an init
// container.
func k8sFirstMain(w k8sWorkload) int {
	for i, c := range w.containers {
		if !c.init {
			return i
		}
	}
	return 0
}

// k8sWorkloadResource registers the workload as its kind.
func k8sWorkloadResource(ctx *pulumi.Context, w k8sWorkload, meta *metav1.ObjectMetaArgs, pod corev1.PodSpecArgs,
	opts ...pulumi.ResourceOption) error {
	labels := pulumi.StringMap{"app": pulumi.String(w.name)}
	selector := &metav1.LabelSelectorArgs{MatchLabels: labels}
	template := corev1.PodTemplateSpecArgs{Metadata: &metav1.ObjectMetaArgs{Labels: labels}, Spec: pod}
	var err error
	switch w.kind {
	case "", "Deployment":
		_, err = appsv1.NewDeployment(ctx, w.name, &appsv1.DeploymentArgs{Metadata: meta,
			Spec: &appsv1.DeploymentSpecArgs{Replicas: pulumi.Int(2), Selector: selector, Template: template}}, opts...)
	case "Pod":
		_, err = corev1.NewPod(ctx, w.name, &corev1.PodArgs{Metadata: meta, Spec: pod}, opts...)
	case "StatefulSet":
		_, err = appsv1.NewStatefulSet(ctx, w.name, &appsv1.StatefulSetArgs{Metadata: meta,
			Spec: &appsv1.StatefulSetSpecArgs{Selector: selector, Template: template,
				ServiceName: pulumi.String(w.name)}}, opts...)
	case "DaemonSet":
		_, err = appsv1.NewDaemonSet(ctx, w.name, &appsv1.DaemonSetArgs{Metadata: meta,
			Spec: &appsv1.DaemonSetSpecArgs{Selector: selector, Template: template}}, opts...)
	case "ReplicaSet":
		_, err = appsv1.NewReplicaSet(ctx, w.name, &appsv1.ReplicaSetArgs{Metadata: meta,
			Spec: &appsv1.ReplicaSetSpecArgs{Selector: selector, Template: template}}, opts...)
	case "Job":
		pod.RestartPolicy = pulumi.String("Never")
		template.Spec = pod
		_, err = batchv1.NewJob(ctx, w.name, &batchv1.JobArgs{Metadata: meta,
			Spec: &batchv1.JobSpecArgs{Template: template}}, opts...)
	case "CronJob":
		pod.RestartPolicy = pulumi.String("OnFailure")
		template.Spec = pod
		_, err = batchv1.NewCronJob(ctx, w.name, &batchv1.CronJobArgs{Metadata: meta,
			Spec: &batchv1.CronJobSpecArgs{Schedule: pulumi.String("0 3 * * *"),
				JobTemplate: batchv1.JobTemplateSpecArgs{Spec: &batchv1.JobSpecArgs{Template: template}}}}, opts...)
	default:
		err = fmt.Errorf("unknown kind %s", w.kind)
	}
	return err
}

// ---- The ECS rendering ----

// ecsProgram renders the spec as ECS task definitions of the same names:
// secrets from SSM SecureString parameters, by ARN, so the document is
// known in preview.
func (s *k8sSpec) ecsProgram(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	cluster, err := ecs.NewCluster(ctx, "pulumi", &ecs.ClusterArgs{})
	if err != nil {
		return err
	}
	for _, w := range s.workloads {
		var defs pulumi.Array
		for _, c := range w.containers {
			env, sec := pulumi.Array{}, pulumi.Array{}
			vars := append([]k8sVar(nil), c.env...)
			for _, f := range c.envFrom { // no ECS equivalent: as their variables
				for _, v := range f.vars {
					if !f.secret && v.from == k8sFromSecret {
						v.from = k8sFromConfigMap
					}
					vars = append(vars, v)
				}
			}
			for _, v := range vars {
				switch v.from {
				case k8sFromSecret:
					param := "/pulumi/" + w.name + "/" + v.name
					var val pulumi.StringInput = pulumi.ToSecret(pulumi.String(v.value)).(pulumi.StringOutput)
					if v.name == "PULUMI_LICENSE_KEY" && v.value == k8sLicenseKey {
						val = cfg.RequireSecret("licenseKey")
					}
					if _, err := ssm.NewParameter(ctx, w.name+"-"+c.name+"-"+strings.ToLower(v.name), &ssm.ParameterArgs{
						Name: pulumi.String(param), Type: pulumi.String("SecureString"), Value: val,
					}); err != nil {
						return err
					}
					sec = append(sec, pulumi.Map{"name": pulumi.String(v.name),
						"valueFrom": pulumi.String("arn:aws:ssm:us-west-2:123456789012:parameter" + param)})
				case k8sFromConfigPlainly:
					env = append(env, pulumi.Map{"name": pulumi.String(v.name),
						"value": pulumi.String(cfg.Require("licenseKey"))})
				default:
					env = append(env, pulumi.Map{"name": pulumi.String(v.name), "value": pulumi.String(v.value)})
				}
			}
			defs = append(defs, pulumi.Map{
				"name": pulumi.String(c.name), "image": pulumi.String(c.image), "essential": pulumi.Bool(!c.init),
				"environment": env, "secrets": sec,
			})
		}
		var doc pulumi.StringInput = pulumi.JSONMarshal(defs)
		if w.envUnknown {
			doc = pulumi.All(cluster.ID(), doc).ApplyT(func(xs []any) string { return xs[1].(string) }).(pulumi.StringOutput)
		}
		if _, err := ecs.NewTaskDefinition(ctx, w.name, &ecs.TaskDefinitionArgs{
			Family: pulumi.String(w.name), ContainerDefinitions: doc,
			RequiresCompatibilities: pulumi.StringArray{pulumi.String("FARGATE")},
			NetworkMode:             pulumi.String("awsvpc"), Cpu: pulumi.String("2048"), Memory: pulumi.String("4096"),
		}); err != nil {
			return err
		}
	}
	return nil
}

// ---- Running and comparing ----

var k8sModes = []hardeningtest.Mode{hardeningtest.Preview, hardeningtest.Update}

// k8sRun runs a program with the license key as secret stack config.
func k8sRun(t *testing.T, program pulumi.RunFunc, mode hardeningtest.Mode, policyConfig map[string]any) *hardeningtest.Result {
	t.Helper()
	res, err := hardeningtest.Run(program, hardeningtest.Options{
		Mode:         mode,
		SecretConfig: map[string]string{k8sLicenseConfig: k8sLicenseKey, "project:kubeconfig": k8sKubeconfig},
		PolicyConfig: policyConfig,
	})
	if err != nil {
		t.Fatalf("the run must succeed: %v", err)
	}
	k8sNoSecrets(t, res)
	return res
}

// k8sNoSecrets fails on any finding that shows a secret value.
func k8sNoSecrets(t *testing.T, res *hardeningtest.Result) {
	t.Helper()
	for _, f := range res.Findings {
		for _, s := range k8sSecretValues {
			if strings.Contains(f.Message, s) {
				t.Errorf("secret %q shown in %v", s, f)
			}
		}
	}
}

// k8sJudged is every finding but the network family's: these programs
// leave the network to network_test.go and programs_test.go (no VPC, no
// NetworkPolicy), and their findings are not what the cases here judge.
// Secrets are checked in every finding (k8sNoSecrets).
func k8sJudged(res *hardeningtest.Result) []hardeningtest.Finding {
	pack := policies.Pack()
	var out []hardeningtest.Finding
	for _, f := range res.Findings {
		if p := pack.Policy(f.Policy); p != nil && p.Section.Tag == policies.Network.Tag {
			continue
		}
		out = append(out, f)
	}
	return out
}

// k8sFindings lists every judged finding as "level policy resource"
// ("(stack)" for the stack), sorted.
func k8sFindings(res *hardeningtest.Result) []string {
	var out []string
	for _, f := range k8sJudged(res) {
		name := f.ResourceName()
		if f.URN == "" {
			name = "(stack)"
		}
		out = append(out, f.Level+" "+f.Policy+" "+name)
	}
	sort.Strings(out)
	return out
}

func k8sSorted(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	sort.Strings(out)
	return out
}

func k8sCompare(t *testing.T, res *hardeningtest.Result, want []string) {
	t.Helper()
	got := k8sFindings(res)
	want = k8sSorted(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		var all []string
		for _, f := range k8sJudged(res) {
			all = append(all, "  "+f.String())
		}
		t.Errorf("findings:\n got %q\nwant %q\nall:\n%s", got, want, strings.Join(all, "\n"))
	}
}

// k8sMessages asserts that the findings of a policy on a resource say
// each of the given words.
func k8sMessages(t *testing.T, res *hardeningtest.Result, policy, resource string, words ...string) {
	t.Helper()
	fs := res.For(policy, resource)
	if resource == "(stack)" {
		fs = nil
		for _, f := range res.ByPolicy(policy) {
			if f.URN == "" {
				fs = append(fs, f)
			}
		}
	}
	text := ""
	for _, f := range fs {
		text += f.Message + "\n"
	}
	for _, w := range words {
		if !strings.Contains(text, w) {
			t.Errorf("%s on %s: no finding says %q:\n%s", policy, resource, w, text)
		}
	}
}

const (
	mAPITLS     = "mandatory api-tls "
	mConsoleTLS = "mandatory console-tls "
	mDBTLS      = "mandatory database-tls "
	aSMTP       = "advisory smtp-configured "
	aCaptcha    = "advisory captcha-configured "
	mEnvSecrets = "mandatory container-secrets-not-in-environment "
	mConfigMap  = "mandatory configmap-no-secrets "
	mSecretIn   = "mandatory secret-inputs-marked-secret "
	aAPITLS     = "advisory api-tls "
	aDBTLS      = "advisory database-tls "
	aEnvSecrets = "advisory container-secrets-not-in-environment "
	aConsoleTLS = "advisory console-tls "
	aEndpoints  = "advisory service-endpoints-tls "
)

type k8sPlatformCase struct {
	name  string
	edits []k8sEdit
	// policyConfig is the --policy-pack-config, if any.
	policyConfig map[string]any
	// want is every finding, on both platforms, in both modes.
	want []string
	// k8s is what Kubernetes adds (the ConfigMap a variable came from).
	k8s []string
	// preview, when set, replaces want in preview; ecsPreview is what ECS
	// adds there (a task definition whose whole document is unknown may
	// hold a Console container too).
	preview, ecsPreview []string
	// k8sOnly: the case has no ECS form (envFrom).
	k8sOnly bool
	// words the findings of want[0] must say.
	words []string
}

// TestK8sContainerPoliciesSideBySide: each rule the ECS task definitions
// and the Kubernetes workloads share, the same gap on both, and the same
// findings expected on the same resource names.
func TestK8sContainerPoliciesSideBySide(t *testing.T) {
	smtpSecretRef := k8sEnvFrom{secret: true, name: "smtp-env"}
	cases := []k8sPlatformCase{
		{name: "hardened"},

		// ---- api-tls ----
		{name: "api-tls: private key missing", edits: []k8sEdit{k8sDrop("pulumi-service", "API_TLS_PRIVATE_KEY")},
			want: []string{mAPITLS + "api"}, words: []string{"API_TLS_PRIVATE_KEY"}},
		{name: "api-tls: certificate and min version missing",
			edits: []k8sEdit{k8sDrop("pulumi-service", "API_TLS_CERTIFICATE", "API_MIN_TLS_VERSION")},
			want:  []string{mAPITLS + "api"}, words: []string{"API_TLS_CERTIFICATE", "API_MIN_TLS_VERSION"}},
		{name: "api-tls: min version 1.0", edits: []k8sEdit{k8sSet("pulumi-service", "API_MIN_TLS_VERSION", "1.0", k8sPlain)},
			want: []string{mAPITLS + "api"}, words: []string{"API_MIN_TLS_VERSION", "1.0"}},
		{name: "api-tls: min version 1.3 passes",
			edits: []k8sEdit{k8sSet("pulumi-service", "API_MIN_TLS_VERSION", "1.3", k8sPlain)}},
		// The certificate is public: from a ConfigMap it counts as set.
		{name: "api-tls: certificate from a ConfigMap passes",
			edits: []k8sEdit{k8sSet("pulumi-service", "API_TLS_CERTIFICATE", k8sCert, k8sFromConfigMap)}},
		// Whatever the registry, tag or digest.
		{name: "api-tls: ECR image by digest, key missing", edits: []k8sEdit{
			k8sImage("pulumi-service", "123456789012.dkr.ecr.us-west-2.amazonaws.com/pulumi/service@sha256:"+
				strings.Repeat("ab", 32)),
			k8sDrop("pulumi-service", "API_TLS_PRIVATE_KEY")},
			want: []string{mAPITLS + "api"}},
		{name: "api-tls: not an API image", edits: []k8sEdit{
			k8sImage("pulumi-service", "example/pulumi-service-proxy:1"),
			k8sDrop("pulumi-service", "API_TLS_PRIVATE_KEY")},
			// Nothing is an API container: no API policy applies, and with
			// no API workload CAPTCHA is not judged half-configured.
			want: nil},

		// ---- console-tls ----
		{name: "console-tls: private key missing", edits: []k8sEdit{k8sDrop("pulumi-console", "CONSOLE_TLS_PRIVATE_KEY")},
			want: []string{mConsoleTLS + "console"}, words: []string{"CONSOLE_TLS_PRIVATE_KEY"}},
		{name: "console-tls: both missing", edits: []k8sEdit{
			k8sDrop("pulumi-console", "CONSOLE_TLS_PRIVATE_KEY", "CONSOLE_TLS_CERTIFICATE")},
			want: []string{mConsoleTLS + "console"}, words: []string{"CONSOLE_TLS_CERTIFICATE", "CONSOLE_TLS_PRIVATE_KEY"}},
		{name: "console-tls: terminated at the load balancer", edits: []k8sEdit{
			k8sDrop("pulumi-console", "CONSOLE_TLS_PRIVATE_KEY", "CONSOLE_TLS_CERTIFICATE")},
			policyConfig: map[string]any{"console-tls": map[string]any{"consoleTlsTerminatedAtLoadBalancer": true}}},

		// ---- database-tls ----
		{name: "database-tls: API sets neither", edits: []k8sEdit{
			k8sDrop("pulumi-service", "DATABASE_CA_CERTIFICATE", "DATABASE_MIN_TLS_VERSION")},
			want: []string{mDBTLS + "api"}, words: []string{"DATABASE_CA_CERTIFICATE", "DATABASE_MIN_TLS_VERSION"}},
		{name: "database-tls: migrations initContainer lacks the CA", edits: []k8sEdit{
			k8sDrop("migration", "DATABASE_CA_CERTIFICATE")},
			want: []string{mDBTLS + "api"}, words: []string{"DATABASE_CA_CERTIFICATE"}},
		{name: "database-tls: min version 1.1", edits: []k8sEdit{
			k8sSet("migration", "DATABASE_MIN_TLS_VERSION", "1.1", k8sPlain)},
			want: []string{mDBTLS + "api"}, words: []string{"DATABASE_MIN_TLS_VERSION"}},
		{name: "database-tls: from a ConfigMap passes", edits: []k8sEdit{
			k8sSet("migration", "DATABASE_CA_CERTIFICATE", k8sCert, k8sFromConfigMap),
			k8sSet("pulumi-service", "DATABASE_CA_CERTIFICATE", k8sCert, k8sFromConfigMap)}},

		// ---- smtp-configured ----
		{name: "smtp: password missing", edits: []k8sEdit{k8sDrop("pulumi-service", "SMTP_PASSWORD")},
			want: []string{aSMTP + "api"}, words: []string{"SMTP_PASSWORD"}},
		{name: "smtp: none set", edits: []k8sEdit{
			k8sDrop("pulumi-service", "SMTP_SERVER", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_GENERIC_SENDER")},
			want: []string{aSMTP + "api"}, words: []string{"SMTP_SERVER", "SMTP_GENERIC_SENDER"}},
		{name: "smtp: SAML SSO only", edits: []k8sEdit{
			k8sDrop("pulumi-service", "SMTP_SERVER", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_GENERIC_SENDER")},
			policyConfig: map[string]any{"smtp-configured": map[string]any{"samlSsoOnly": true}}},

		// ---- captcha-configured ----
		{name: "captcha: neither half", edits: []k8sEdit{
			k8sDrop("pulumi-service", "RECAPTCHA_SECRET_KEY"), k8sDrop("pulumi-console", "RECAPTCHA_SITE_KEY")},
			want: []string{aCaptcha + "(stack)"}, words: []string{"RECAPTCHA_SECRET_KEY", "RECAPTCHA_SITE_KEY"}},
		{name: "captcha: Console lacks the site key", edits: []k8sEdit{k8sDrop("pulumi-console", "RECAPTCHA_SITE_KEY")},
			want: []string{aCaptcha + "console"}, words: []string{"RECAPTCHA_SITE_KEY"}},
		{name: "captcha: API lacks the secret key", edits: []k8sEdit{k8sDrop("pulumi-service", "RECAPTCHA_SECRET_KEY")},
			want: []string{aCaptcha + "api"}, words: []string{"RECAPTCHA_SECRET_KEY"}},
		// The site key is public: plain text is fine.
		{name: "captcha: site key in plain text passes", edits: []k8sEdit{
			k8sSet("pulumi-console", "RECAPTCHA_SITE_KEY", "site-key-public", k8sPlain)}},

		// ---- container-secrets-not-in-environment ----
		{name: "secrets: license key read plainly into env", edits: []k8sEdit{
			k8sSet("pulumi-service", "PULUMI_LICENSE_KEY", k8sLicenseKey, k8sFromConfigPlainly)},
			want: []string{mEnvSecrets + "api"}, words: []string{"PULUMI_LICENSE_KEY"}},
		{name: "secrets: database password plain in the migrations initContainer", edits: []k8sEdit{
			k8sSet("migration", "MYSQL_ROOT_PASSWORD", k8sDBPassword, k8sPlain)},
			want: []string{mEnvSecrets + "api"}, words: []string{"MYSQL_ROOT_PASSWORD"}},
		{name: "secrets: two plain secrets, one finding each", edits: []k8sEdit{
			k8sSet("pulumi-service", "SMTP_PASSWORD", k8sSMTPPassword, k8sPlain),
			k8sSet("pulumi-console", "CONSOLE_TLS_PRIVATE_KEY", k8sConsoleTLSKey, k8sPlain)},
			want: []string{mEnvSecrets + "api", mEnvSecrets + "console"}},
		{name: "secrets: private key and SAML key plain, one finding each", edits: []k8sEdit{
			k8sSet("pulumi-service", "API_TLS_PRIVATE_KEY", k8sAPITLSKey, k8sPlain),
			k8sSet("pulumi-service", "SAML_CERTIFICATE_PRIVATE_KEY", k8sSAMLKey, k8sPlain)},
			want:  []string{mEnvSecrets + "api", mEnvSecrets + "api"},
			words: []string{"API_TLS_PRIVATE_KEY", "SAML_CERTIFICATE_PRIVATE_KEY"}},
		// A ConfigMap is plain text too; on Kubernetes the ConfigMap itself
		// also holds the secret.
		{name: "secrets: license key from a ConfigMap", edits: []k8sEdit{
			k8sSet("pulumi-service", "PULUMI_LICENSE_KEY", k8sLicenseKey, k8sFromConfigMap)},
			want: []string{mEnvSecrets + "api"}, k8s: []string{mConfigMap + "api-config"},
			words: []string{"PULUMI_LICENSE_KEY"}},
		{name: "secrets: URL with a password in plain text", edits: []k8sEdit{
			k8sSet("pulumi-service", "PULUMI_SEARCH_DOMAIN", "https://admin:"+k8sURLPassword+"@search.internal:9200", k8sPlain)},
			want: []string{mEnvSecrets + "api"}, words: []string{"PULUMI_SEARCH_DOMAIN"}},
		{name: "secrets: URL with a password from a Secret passes", edits: []k8sEdit{
			k8sSet("pulumi-service", "PULUMI_SEARCH_DOMAIN", "https://admin:"+k8sURLPassword+"@search.internal:9200", k8sFromSecret)}},
		// Every container counts, not only the service's.
		{name: "secrets: sidecar API key in plain text", edits: []k8sEdit{k8sAddContainer("api", k8sContainer{
			name: "datadog-agent", image: "datadog/agent:7", env: []k8sVar{{"DD_API_KEY", k8sSidecarToken, k8sPlain}}})},
			want: []string{mEnvSecrets + "api"}, words: []string{"DD_API_KEY"}},
		{name: "secrets: names that describe or switch secrets pass", edits: []k8sEdit{
			k8sSet("pulumi-service", "PULUMI_LICENSE_KEY_FILE", "/etc/pulumi/license", k8sPlain),
			k8sSet("pulumi-service", "SMTP_PASSWORD_PATH", "/etc/smtp/password", k8sPlain),
			k8sSet("pulumi-service", "PULUMI_KMS_KEY_ARN", "arn:aws:kms:us-west-2:123456789012:key/1", k8sPlain),
			k8sSet("pulumi-service", "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", k8sPlain),
			k8sSet("migration", "MYSQL_ALLOW_EMPTY_PASSWORD", "no", k8sPlain),
			k8sSet("pulumi-service", "PULUMI_SEARCH_DOMAIN", "https://search.internal:9200", k8sPlain)}},

		// ---- unknown in preview ----
		// The API's env built with ApplyT (the installer's serviceEnv): in
		// preview nothing mandatory, advisories that name the env; in
		// update it is judged.
		{name: "unknown env, hardened", edits: []k8sEdit{k8sEnvUnknown("api")},
			preview: []string{aAPITLS + "api", aDBTLS + "api", aEnvSecrets + "api", aSMTP + "api", aCaptcha + "api",
				aEndpoints + "api"},
			ecsPreview: []string{aConsoleTLS + "api"}},
		{name: "unknown env, license key plain", edits: []k8sEdit{k8sEnvUnknown("api"),
			k8sSet("pulumi-service", "PULUMI_LICENSE_KEY", k8sLicenseKey, k8sFromConfigPlainly),
			k8sDrop("pulumi-service", "API_TLS_PRIVATE_KEY")},
			want: []string{mEnvSecrets + "api", mAPITLS + "api"},
			preview: []string{aAPITLS + "api", aDBTLS + "api", aEnvSecrets + "api", aSMTP + "api", aCaptcha + "api",
				aEndpoints + "api"},
			ecsPreview: []string{aConsoleTLS + "api"}},

		// ---- envFrom (Kubernetes only) ----
		{name: "envFrom: SMTP from a Secret of the stack passes", k8sOnly: true, edits: []k8sEdit{
			k8sMove("pulumi-service", smtpSecretRef, "SMTP_SERVER", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_GENERIC_SENDER")}},
		{name: "envFrom: TLS key from a Secret of the stack passes", k8sOnly: true, edits: []k8sEdit{
			k8sMove("pulumi-service", k8sEnvFrom{secret: true, name: "api-tls-env"}, "API_TLS_PRIVATE_KEY", "API_TLS_CERTIFICATE")}},
		{name: "envFrom: database TLS from a ConfigMap of the stack passes", k8sOnly: true, edits: []k8sEdit{
			k8sMove("migration", k8sEnvFrom{name: "db-tls"}, "DATABASE_CA_CERTIFICATE", "DATABASE_MIN_TLS_VERSION"),
			k8sMove("pulumi-service", k8sEnvFrom{name: "api-db-tls"}, "DATABASE_CA_CERTIFICATE", "DATABASE_MIN_TLS_VERSION")}},
		{name: "envFrom: the Secret lacks SMTP_PASSWORD", k8sOnly: true, edits: []k8sEdit{
			k8sDrop("pulumi-service", "SMTP_PASSWORD"),
			k8sMove("pulumi-service", smtpSecretRef, "SMTP_SERVER", "SMTP_USERNAME", "SMTP_GENERIC_SENDER")},
			want: []string{aSMTP + "api"}, words: []string{"SMTP_PASSWORD"}},
		{name: "envFrom: a ConfigMap of the stack holds the license key", k8sOnly: true, edits: []k8sEdit{
			k8sSet("pulumi-service", "PULUMI_LICENSE_KEY", k8sLicenseKey, k8sPlain),
			k8sMove("pulumi-service", k8sEnvFrom{name: "api-env"}, "PULUMI_LICENSE_KEY")},
			want: []string{mEnvSecrets + "api", mConfigMap + "api-env"}, words: []string{"PULUMI_LICENSE_KEY"}},
		{name: "envFrom: the license key from a Secret of the stack passes", k8sOnly: true, edits: []k8sEdit{
			k8sMove("pulumi-service", k8sEnvFrom{secret: true, name: "license-env"}, "PULUMI_LICENSE_KEY")}},
		// A missing variable may be in a Secret outside the stack: not a
		// violation, "cannot be verified".
		{name: "envFrom: a Secret outside the stack may hold the TLS key", k8sOnly: true, edits: []k8sEdit{
			k8sDrop("pulumi-service", "API_TLS_PRIVATE_KEY"),
			k8sMove("pulumi-service", k8sEnvFrom{secret: true, external: "pulumi-api-tls-external"})},
			want: []string{aAPITLS + "api"}, words: []string{"cannot be verified", "API_TLS_PRIVATE_KEY"}},
		{name: "envFrom: a ConfigMap outside the stack may hold the database TLS", k8sOnly: true, edits: []k8sEdit{
			k8sDrop("migration", "DATABASE_CA_CERTIFICATE", "DATABASE_MIN_TLS_VERSION"),
			k8sMove("migration", k8sEnvFrom{external: "rds-ca"})},
			want: []string{aDBTLS + "api"}, words: []string{"cannot be verified", "DATABASE_CA_CERTIFICATE"}},
		// envFrom with a prefix: the Secret's keys SERVER, USERNAME, ... are
		// SMTP_SERVER, SMTP_USERNAME, ...
		{name: "envFrom: SMTP from a Secret with a prefix passes", k8sOnly: true, edits: []k8sEdit{
			k8sMove("pulumi-service", k8sEnvFrom{secret: true, name: "smtp-prefixed", prefix: "SMTP_"},
				"SMTP_SERVER", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_GENERIC_SENDER")}},
		{name: "envFrom: a ConfigMap with a prefix holds the password", k8sOnly: true, edits: []k8sEdit{
			k8sSet("pulumi-service", "SMTP_PASSWORD", k8sSMTPPassword, k8sPlain),
			k8sMove("pulumi-service", k8sEnvFrom{name: "smtp-plain", prefix: "SMTP_"}, "SMTP_PASSWORD")},
			// The ConfigMap's own key is PASSWORD, a secret name too.
			want: []string{mEnvSecrets + "api", mConfigMap + "smtp-plain"}, words: []string{"SMTP_PASSWORD"}},
		// A value the kubelet computes is no plain-text secret.
		{name: "env: fieldRef passes", k8sOnly: true, edits: []k8sEdit{
			k8sSet("pulumi-service", "PULUMI_NODE_TOKEN", "spec.serviceAccountName", k8sFromFieldRef)}},
		// An outside Secret does not excuse what is in plain text.
		{name: "envFrom: outside Secret, license key still plain", k8sOnly: true, edits: []k8sEdit{
			k8sSet("pulumi-service", "PULUMI_LICENSE_KEY", k8sLicenseKey, k8sFromConfigPlainly),
			k8sMove("pulumi-service", k8sEnvFrom{secret: true, external: "pulumi-api-extra"})},
			want: []string{mEnvSecrets + "api"}},
	}
	for _, c := range cases {
		for _, platform := range []string{"ecs", "k8s"} {
			if c.k8sOnly && platform == "ecs" {
				continue
			}
			for _, mode := range k8sModes {
				t.Run(c.name+"/"+platform+"/"+mode.String(), func(t *testing.T) {
					spec := k8sHardened().with(c.edits...)
					program := spec.k8sProgram
					if platform == "ecs" {
						program = spec.ecsProgram
					}
					res := k8sRun(t, program, mode, c.policyConfig)
					want := c.want
					if mode == hardeningtest.Preview && c.preview != nil {
						want = c.preview
						if platform == "ecs" {
							want = k8sSorted(want, c.ecsPreview)
						}
					}
					if platform == "k8s" && (mode == hardeningtest.Update || c.preview == nil) {
						want = k8sSorted(want, c.k8s)
					}
					k8sCompare(t, res, want)
					if len(want) > 0 && len(c.words) > 0 && (mode == hardeningtest.Update || c.preview == nil) {
						first := strings.Fields(c.want[0])
						name := first[2]
						k8sMessages(t, res, first[1], name, c.words...)
					}
					if mode == hardeningtest.Preview && c.preview != nil {
						for _, f := range k8sJudged(res) {
							if !strings.Contains(f.Message, "cannot be verified during preview") ||
								!strings.Contains(f.Message, k8sEnvProperty(platform)) {
								t.Errorf("preview: want 'cannot be verified during preview' naming %s, got %v",
									k8sEnvProperty(platform), f)
							}
						}
					}
				})
			}
		}
	}
}

func k8sEnvProperty(platform string) string {
	if platform == "ecs" {
		return "containerDefinitions"
	}
	return "env"
}

// TestK8sWorkloadKinds: every workload kind is judged at its pod spec's
// path, containers and initContainers.
func TestK8sWorkloadKinds(t *testing.T) {
	apiBroken := func(kind string) *k8sSpec {
		return &k8sSpec{workloads: []k8sWorkload{{name: "workload", kind: kind, containers: []k8sContainer{{
			name: "pulumi-service", image: k8sAPIImage, env: []k8sVar{
				{"PULUMI_LICENSE_KEY", k8sLicenseKey, k8sFromConfigPlainly},
				{"API_TLS_CERTIFICATE", k8sCert, k8sPlain},
				{"API_MIN_TLS_VERSION", "1.2", k8sPlain},
				{"DATABASE_CA_CERTIFICATE", k8sCert, k8sPlain},
				{"DATABASE_MIN_TLS_VERSION", "1.2", k8sPlain},
				{"SMTP_SERVER", "smtp.example.com:587", k8sPlain},
				{"SMTP_USERNAME", "mailer", k8sPlain},
				{"SMTP_PASSWORD", k8sSMTPPassword, k8sFromSecret},
				{"SMTP_GENERIC_SENDER", "noreply@example.com", k8sPlain},
				{"RECAPTCHA_SECRET_KEY", k8sRecaptchaKey, k8sFromSecret},
			}}}}}}
	}
	migrationsBroken := func(kind string) *k8sSpec {
		return &k8sSpec{workloads: []k8sWorkload{{name: "workload", kind: kind, containers: []k8sContainer{
			{name: "wait-for-db", image: "busybox:1.36", init: true, env: []k8sVar{
				{"MYSQL_ROOT_PASSWORD", k8sDBPassword, k8sPlain}}},
			{name: "migration", image: k8sMigrationsImage, env: []k8sVar{
				{"MYSQL_ROOT_PASSWORD", k8sDBPassword, k8sFromSecret},
				{"DATABASE_MIN_TLS_VERSION", "1.2", k8sPlain},
			}}}}}}
	}
	for _, c := range []struct {
		kind string
		spec func(string) *k8sSpec
		want []string
	}{
		{"Pod", apiBroken, []string{mAPITLS + "workload", mEnvSecrets + "workload"}},
		{"Deployment", apiBroken, []string{mAPITLS + "workload", mEnvSecrets + "workload"}},
		{"StatefulSet", apiBroken, []string{mAPITLS + "workload", mEnvSecrets + "workload"}},
		{"DaemonSet", apiBroken, []string{mAPITLS + "workload", mEnvSecrets + "workload"}},
		{"ReplicaSet", apiBroken, []string{mAPITLS + "workload", mEnvSecrets + "workload"}},
		{"Job", migrationsBroken, []string{mDBTLS + "workload", mEnvSecrets + "workload"}},
		{"CronJob", migrationsBroken, []string{mDBTLS + "workload", mEnvSecrets + "workload"}},
	} {
		for _, mode := range k8sModes {
			t.Run(c.kind+"/"+mode.String(), func(t *testing.T) {
				res := k8sRun(t, c.spec(c.kind).k8sProgram, mode, nil)
				k8sCompare(t, res, c.want)
				if c.spec(c.kind).workloads[0].containers[0].init {
					// The plain password is in the initContainer.
					k8sMessages(t, res, "container-secrets-not-in-environment", "workload", "MYSQL_ROOT_PASSWORD", "wait-for-db")
					k8sMessages(t, res, "database-tls", "workload", "DATABASE_CA_CERTIFICATE")
				} else {
					k8sMessages(t, res, "container-secrets-not-in-environment", "workload", "PULUMI_LICENSE_KEY")
					k8sMessages(t, res, "api-tls", "workload", "API_TLS_PRIVATE_KEY")
				}
			})
		}
		// The same workload with its secrets from Secrets and the missing
		// variables set passes.
		t.Run(c.kind+"/fixed", func(t *testing.T) {
			spec := c.spec(c.kind)
			for i := range spec.workloads[0].containers {
				ct := &spec.workloads[0].containers[i]
				for j := range ct.env {
					if ct.env[j].from != k8sPlain || ct.env[j].name == "MYSQL_ROOT_PASSWORD" {
						ct.env[j].from = k8sFromSecret
					}
				}
				switch ct.image {
				case k8sAPIImage:
					ct.env = append(ct.env, k8sVar{"API_TLS_PRIVATE_KEY", k8sAPITLSKey, k8sFromSecret})
				case k8sMigrationsImage:
					ct.env = append(ct.env, k8sVar{"DATABASE_CA_CERTIFICATE", k8sCert, k8sPlain})
				}
			}
			for _, mode := range k8sModes {
				k8sCompare(t, k8sRun(t, spec.k8sProgram, mode, nil), nil)
			}
		})
	}
}

// TestK8sConfigMaps: configmap-no-secrets judges a ConfigMap's data by key
// name and value, whether or not a workload uses it.
func TestK8sConfigMaps(t *testing.T) {
	for _, c := range []struct {
		name    string
		data    map[string]string
		unknown string // a key whose value is an id, unknown in preview
		secret  string // a key whose value is a Pulumi secret
		want    []string
		preview []string
		words   []string
	}{
		{name: "plain settings pass", data: map[string]string{
			"PULUMI_API_DOMAIN": "api.example.com", "DATABASE_MIN_TLS_VERSION": "1.2", "API_TLS_CERTIFICATE": k8sCert}},
		{name: "a password", data: map[string]string{"SMTP_PASSWORD": k8sSMTPPassword, "SMTP_SERVER": "smtp:587"},
			want: []string{mConfigMap + "settings"}, words: []string{"SMTP_PASSWORD"}},
		{name: "the license key, camel case", data: map[string]string{"licenseKey": k8sLicenseKey},
			want: []string{mConfigMap + "settings"}, words: []string{"licenseKey"}},
		{name: "a private key", data: map[string]string{"tls.key": k8sAPITLSKey},
			want: []string{mConfigMap + "settings"}, words: []string{"tls.key"}},
		{name: "a URL with a password", data: map[string]string{
			"PULUMI_SEARCH_DOMAIN": "https://admin:" + k8sURLPassword + "@search.internal:9200"},
			want: []string{mConfigMap + "settings"}, words: []string{"PULUMI_SEARCH_DOMAIN"}},
		{name: "a URL without a password passes", data: map[string]string{
			"PULUMI_SEARCH_DOMAIN": "https://search.internal:9200"}},
		{name: "an empty password passes", data: map[string]string{"SMTP_PASSWORD": ""}},
		{name: "names that describe or switch secrets pass", data: map[string]string{
			"SMTP_PASSWORD_FILE": "/etc/smtp/password", "PULUMI_KMS_KEY_ARN": "arn:aws:kms:us-west-2:123456789012:key/1",
			"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "MYSQL_ALLOW_EMPTY_PASSWORD": "no", "RECAPTCHA_SITE_KEY": "site-key-public",
			"TLS_PRIVATE_KEY_PATH": "/etc/tls/key.pem"}},
		{name: "two secrets, one finding each", data: map[string]string{
			"SMTP_PASSWORD": k8sSMTPPassword, "RECAPTCHA_SECRET_KEY": k8sRecaptchaKey},
			want: []string{mConfigMap + "settings"}, words: []string{"data.SMTP_PASSWORD", "data.RECAPTCHA_SECRET_KEY"}},
		// The Pulumi state encrypts it; the ConfigMap in the cluster does not.
		{name: "a Pulumi secret in a ConfigMap", secret: "SMTP_PASSWORD",
			want: []string{mConfigMap + "settings"}, words: []string{"data.SMTP_PASSWORD"}},
		// A value from another resource's output: whether it is empty is
		// unknown in preview.
		{name: "a password from an output", unknown: "SMTP_PASSWORD",
			want:    []string{mConfigMap + "settings"},
			preview: []string{"advisory configmap-no-secrets settings"}, words: []string{"SMTP_PASSWORD"}},
	} {
		for _, mode := range k8sModes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				program := func(ctx *pulumi.Context) error {
					ns, err := corev1.NewNamespace(ctx, k8sNamespace, &corev1.NamespaceArgs{
						Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(k8sNamespace)}})
					if err != nil {
						return err
					}
					data := pulumi.StringMap{}
					for k, v := range c.data {
						data[k] = pulumi.String(v)
					}
					if c.unknown != "" {
						data[c.unknown] = ns.ID().ToStringOutput()
					}
					if c.secret != "" {
						data[c.secret] = pulumi.ToSecret(pulumi.String(k8sSMTPPassword)).(pulumi.StringOutput)
					}
					_, err = corev1.NewConfigMap(ctx, "settings", &corev1.ConfigMapArgs{
						Metadata: &metav1.ObjectMetaArgs{Namespace: ns.Metadata.Name()}, Data: data})
					return err
				}
				res := k8sRun(t, program, mode, nil)
				want := c.want
				if mode == hardeningtest.Preview && c.preview != nil {
					want = c.preview
					k8sMessages(t, res, "configmap-no-secrets", "settings", "cannot be verified during preview",
						fmt.Sprintf("data[%q]", c.unknown))
				} else if len(want) > 0 {
					k8sMessages(t, res, "configmap-no-secrets", "settings", c.words...)
				}
				k8sCompare(t, res, want)
			})
		}
	}
}

// k8sRawSecret registers a kubernetes:core/v1:Secret without the SDK,
// which marks data and stringData secret itself: what yaml/v2 or a
// hand-written registration produce.
func k8sRawSecret(ctx *pulumi.Context, name string, props pulumi.Map) error {
	props["apiVersion"] = pulumi.String("v1")
	props["kind"] = pulumi.String("Secret")
	var res pulumi.CustomResourceState
	return ctx.RegisterResource("kubernetes:core/v1:Secret", name, props, &res)
}

// TestK8sSecretResources: secret-inputs-marked-secret on Kubernetes
// Secrets.
func TestK8sSecretResources(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(k8sRawSecretValue))
	for _, c := range []struct {
		name    string
		program pulumi.RunFunc
		want    []string
		preview []string
		words   []string
	}{
		// The SDK marks stringData and data secret whatever the program
		// passes.
		{name: "SDK Secret with plain stringData passes", program: func(ctx *pulumi.Context) error {
			_, err := corev1.NewSecret(ctx, "license-key", &corev1.SecretArgs{
				StringData: pulumi.StringMap{"key": pulumi.String(k8sRawSecretValue)}})
			return err
		}},
		{name: "SDK Secret with plain data passes", program: func(ctx *pulumi.Context) error {
			_, err := corev1.NewSecret(ctx, "license-key", &corev1.SecretArgs{
				Data: pulumi.StringMap{"key": pulumi.String(b64)}})
			return err
		}},
		{name: "SDK Secret from secret config passes", program: func(ctx *pulumi.Context) error {
			_, err := corev1.NewSecret(ctx, "license-key", &corev1.SecretArgs{
				StringData: pulumi.StringMap{"key": config.New(ctx, "").RequireSecret("licenseKey")}})
			return err
		}},
		{name: "raw Secret with plain stringData", program: func(ctx *pulumi.Context) error {
			return k8sRawSecret(ctx, "raw", pulumi.Map{"stringData": pulumi.StringMap{"password": pulumi.String(k8sRawSecretValue)}})
		}, want: []string{mSecretIn + "raw"}, words: []string{"stringData"}},
		{name: "raw Secret with plain data", program: func(ctx *pulumi.Context) error {
			return k8sRawSecret(ctx, "raw", pulumi.Map{"data": pulumi.StringMap{"password": pulumi.String(b64)}})
		}, want: []string{mSecretIn + "raw"}, words: []string{"data"}},
		{name: "raw Secret with the license key read plainly", program: func(ctx *pulumi.Context) error {
			return k8sRawSecret(ctx, "raw", pulumi.Map{"stringData": pulumi.StringMap{
				"key": pulumi.String(config.New(ctx, "").Require("licenseKey"))}})
		}, want: []string{mSecretIn + "raw"}, words: []string{"stringData"}},
		{name: "raw Secret with secret stringData passes", program: func(ctx *pulumi.Context) error {
			return k8sRawSecret(ctx, "raw", pulumi.Map{"stringData": pulumi.ToSecret(
				pulumi.StringMap{"password": pulumi.String(k8sRawSecretValue)})})
		}},
		{name: "raw Secret with secret values passes", program: func(ctx *pulumi.Context) error {
			return k8sRawSecret(ctx, "raw", pulumi.Map{"data": pulumi.Map{
				"password": pulumi.ToSecret(pulumi.String(b64))}})
		}},
		{name: "raw Secret without data passes", program: func(ctx *pulumi.Context) error {
			return k8sRawSecret(ctx, "raw", pulumi.Map{"type": pulumi.String("Opaque")})
		}},
		// An unknown value may or may not be a secret: not known until
		// update, where it is plain.
		{name: "raw Secret with a value from an output", program: func(ctx *pulumi.Context) error {
			ns, err := corev1.NewNamespace(ctx, k8sNamespace, nil)
			if err != nil {
				return err
			}
			return k8sRawSecret(ctx, "raw", pulumi.Map{"stringData": pulumi.StringMap{"token": ns.ID().ToStringOutput()}})
		}, want: []string{mSecretIn + "raw"}, preview: []string{"advisory secret-inputs-marked-secret raw"},
			words: []string{"stringData"}},
	} {
		for _, mode := range k8sModes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				res := k8sRun(t, c.program, mode, nil)
				want := c.want
				if mode == hardeningtest.Preview && c.preview != nil {
					want = c.preview
					k8sMessages(t, res, "secret-inputs-marked-secret", "raw", "cannot be verified during preview",
						"stringData")
				} else if len(want) > 0 {
					k8sMessages(t, res, "secret-inputs-marked-secret", "raw", c.words...)
				}
				k8sCompare(t, res, want)
			})
		}
	}
}

// k8sRawDeployment registers Deployment "api" without the SDK's types, so
// that its pod spec can be malformed.
func k8sRawDeployment(ctx *pulumi.Context, pod pulumi.Map) error {
	var res pulumi.CustomResourceState
	return ctx.RegisterResource("kubernetes:apps/v1:Deployment", "api", pulumi.Map{
		"apiVersion": pulumi.String("apps/v1"), "kind": pulumi.String("Deployment"),
		"metadata": pulumi.Map{"namespace": pulumi.String(k8sNamespace)},
		"spec": pulumi.Map{
			"selector": pulumi.Map{"matchLabels": pulumi.StringMap{"app": pulumi.String("api")}},
			"template": pulumi.Map{"spec": pod},
		},
	}, &res)
}

// k8sHardenedEnv is a hardened API env, all secrets from Secret "api-env".
func k8sHardenedEnv() pulumi.Array {
	var env pulumi.Array
	for _, v := range k8sHardened().container("pulumi-service").env {
		if v.from == k8sFromSecret {
			env = append(env, pulumi.Map{"name": pulumi.String(v.name), "valueFrom": pulumi.Map{
				"secretKeyRef": pulumi.Map{"name": pulumi.String("api-env"), "key": pulumi.String(v.name)}}})
		} else {
			env = append(env, pulumi.Map{"name": pulumi.String(v.name), "value": pulumi.String(v.value)})
		}
	}
	return env
}

func k8sAPIPod(env pulumi.Input) pulumi.Map {
	return pulumi.Map{"containers": pulumi.Array{pulumi.Map{
		"name": pulumi.String("pulumi-service"), "image": pulumi.String(k8sAPIImage), "env": env}}}
}

// TestK8sBadInput: malformed workloads never crash the run; they give
// advisories that name the resource and the property, never a mandatory
// finding.
func TestK8sBadInput(t *testing.T) {
	withEntries := func(extra ...pulumi.Input) pulumi.Array {
		return append(k8sHardenedEnv(), extra...)
	}
	// The first entry after the hardened env.
	extra := fmt.Sprintf("spec.template.spec.containers[0].env[%d]", len(k8sHardenedEnv()))
	for _, c := range []struct {
		name string
		pod  func(ctx *pulumi.Context) (pulumi.Map, error)
		// property the advisories name.
		property string
		// policies that must report it; all is true when they are all the
		// findings. A bad entry of the API container: each policy that
		// judges the API says it cannot. A container list, container or
		// image that cannot be read may hide any container: every
		// container policy says it cannot, console-tls too.
		policies []string
		all      bool
	}{
		{name: "env entry without a name", pod: func(*pulumi.Context) (pulumi.Map, error) {
			return k8sAPIPod(withEntries(pulumi.Map{"value": pulumi.String("x")})), nil
		}, property: extra + " has no name", policies: k8sAPIPolicies, all: true},
		{name: "env entry with a null name", pod: func(*pulumi.Context) (pulumi.Map, error) {
			return k8sAPIPod(withEntries(pulumi.Map{"name": nil, "value": pulumi.String("x")})), nil
		}, property: extra + " has no name", policies: k8sAPIPolicies, all: true},
		{name: "env entry with a number for a name", pod: func(*pulumi.Context) (pulumi.Map, error) {
			return k8sAPIPod(withEntries(pulumi.Map{"name": pulumi.Int(42), "value": pulumi.String("x")})), nil
		}, property: extra + " has no name", policies: k8sAPIPolicies, all: true},
		{name: "env entry that is a string", pod: func(*pulumi.Context) (pulumi.Map, error) {
			return k8sAPIPod(withEntries(pulumi.String("PULUMI_LICENSE_KEY=" + k8sLicenseKey))), nil
		}, property: extra + " has no name", policies: k8sAPIPolicies, all: true},
		{name: "valueFrom with neither ref", pod: func(*pulumi.Context) (pulumi.Map, error) {
			return k8sAPIPod(withEntries(pulumi.Map{"name": pulumi.String("PULUMI_EXTRA_TOKEN"),
				"valueFrom": pulumi.Map{}})), nil
		}, property: extra + ".valueFrom", policies: k8sAPIPolicies, all: true},
		{name: "env that is an object", pod: func(*pulumi.Context) (pulumi.Map, error) {
			return k8sAPIPod(pulumi.Map{"PULUMI_LICENSE_KEY": pulumi.String(k8sLicenseKey)}), nil
		}, property: "spec.template.spec.containers[0].env", policies: k8sAPIPolicies, all: true},
		{name: "containers that is a string", pod: func(*pulumi.Context) (pulumi.Map, error) {
			return pulumi.Map{"containers": pulumi.String("pulumi/service:latest")}, nil
		}, property: "spec.template.spec.containers", policies: k8sAllPolicies, all: true},
		{name: "containers that is an object", pod: func(*pulumi.Context) (pulumi.Map, error) {
			return pulumi.Map{"containers": pulumi.Map{"api": pulumi.Map{"image": pulumi.String(k8sAPIImage)}}}, nil
		}, property: "spec.template.spec.containers", policies: k8sAllPolicies, all: true},
		{name: "container that is a number", pod: func(*pulumi.Context) (pulumi.Map, error) {
			return pulumi.Map{"containers": pulumi.Array{pulumi.Int(7)}}, nil
		}, property: "spec.template.spec.containers[0]", policies: k8sAllPolicies, all: true},
		{name: "initContainers that is a string", pod: func(*pulumi.Context) (pulumi.Map, error) {
			p := k8sAPIPod(k8sHardenedEnv())
			p["initContainers"] = pulumi.String("pulumi/migrations")
			return p, nil
		}, property: "spec.template.spec.initContainers", policies: k8sAllPolicies, all: true},
		{name: "image that is a number", pod: func(*pulumi.Context) (pulumi.Map, error) {
			return pulumi.Map{"containers": pulumi.Array{pulumi.Map{"name": pulumi.String("api"),
				"image": pulumi.Int(3), "env": k8sHardenedEnv()}}}, nil
		}, property: "spec.template.spec.containers[0].image", policies: k8sAllPolicies, all: true},
		{name: "envFrom entry with neither ref", pod: func(*pulumi.Context) (pulumi.Map, error) {
			p := k8sAPIPod(k8sHardenedEnv())
			p["containers"].(pulumi.Array)[0].(pulumi.Map)["envFrom"] = pulumi.Array{pulumi.Map{"prefix": pulumi.String("X_")}}
			return p, nil
		}, property: "spec.template.spec.containers[0].envFrom[0]", policies: k8sAPIPolicies, all: true},
	} {
		for _, mode := range k8sModes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				program := func(ctx *pulumi.Context) error {
					if _, err := corev1.NewSecret(ctx, "api-env", &corev1.SecretArgs{
						Metadata:   &metav1.ObjectMetaArgs{Namespace: pulumi.String(k8sNamespace), Name: pulumi.String("api-env")},
						StringData: k8sHardenedSecretData()}); err != nil {
						return err
					}
					pod, err := c.pod(ctx)
					if err != nil {
						return err
					}
					return k8sRawDeployment(ctx, pod)
				}
				res := k8sRun(t, program, mode, nil)
				judged := k8sJudged(res)
				if len(judged) == 0 {
					t.Fatalf("want advisories naming %s, got none", c.property)
				}
				seen := map[string]bool{}
				for _, f := range judged {
					seen[f.Policy] = true
					if f.Level != "advisory" {
						t.Errorf("malformed input gave a %s finding: %v", f.Level, f)
					}
					if f.ResourceName() != "api" {
						t.Errorf("want findings on api, got %v", f)
					}
					if strings.Contains(f.Message, "policy pack") && strings.Contains(f.Message, "bug") {
						t.Errorf("a policy panicked: %v", f)
					}
					if !strings.Contains(f.Message, c.property) {
						t.Errorf("want the finding to name %s, got %v", c.property, f)
					}
					if !strings.Contains(f.Message, "cannot be verified") {
						t.Errorf("want 'cannot be verified', got %v", f)
					}
				}
				if c.all {
					var want []string
					for _, p := range c.policies {
						want = append(want, "advisory "+p+" api")
					}
					k8sCompare(t, res, want)
				}
				for _, p := range c.policies {
					if !seen[p] {
						t.Errorf("no %s advisory; findings:\n%s", p, strings.Join(k8sFindings(res), "\n"))
					}
				}
			})
		}
	}
}

// k8sAPIAdvisories: each policy that judges the API workload says it cannot.
var k8sAPIAdvisories = []string{aAPITLS + "api", aCaptcha + "api", aEnvSecrets + "api", aDBTLS + "api", aSMTP + "api",
	aEndpoints + "api"}

// k8sAllPolicies are all the container policies.
var k8sAllPolicies = append([]string{"console-tls"}, k8sAPIPolicies...)

// k8sAPIPolicies are the policies that judge an API container.
var k8sAPIPolicies = []string{"api-tls", "captcha-configured", "container-secrets-not-in-environment",
	"database-tls", "smtp-configured", "service-endpoints-tls"}

func k8sHardenedSecretData() pulumi.StringMap {
	data := pulumi.StringMap{}
	for _, v := range k8sHardened().container("pulumi-service").env {
		if v.from == k8sFromSecret {
			data[v.name] = pulumi.String(v.value)
		}
	}
	return data
}

// TestK8sInstallerShape: the EKS installer's own layout — the API env in
// an apply, every secret through asEnvValue (secretKeyRef) of the
// installer's Secrets, the Console's reCAPTCHA site key from a Secret — as
// the installer ships it (no TLS variables on any hop) and hardened.
func TestK8sInstallerShape(t *testing.T) {
	installer := func() *k8sSpec {
		return k8sHardened().with(
			k8sEnvUnknown("api"),
			k8sDrop("pulumi-service", "API_TLS_CERTIFICATE", "API_TLS_PRIVATE_KEY", "API_MIN_TLS_VERSION",
				"DATABASE_CA_CERTIFICATE", "DATABASE_MIN_TLS_VERSION"),
			k8sDrop("migration", "DATABASE_CA_CERTIFICATE", "DATABASE_MIN_TLS_VERSION"),
			k8sDrop("pulumi-console", "CONSOLE_TLS_CERTIFICATE", "CONSOLE_TLS_PRIVATE_KEY"),
		)
	}
	for _, mode := range k8sModes {
		t.Run("as shipped/"+mode.String(), func(t *testing.T) {
			res := k8sRun(t, installer().k8sProgram, mode, nil)
			// The migrations' env is known in both modes; the API's only in
			// update.
			// database-tls reports each container: the API and the
			// migrations.
			want := []string{mConsoleTLS + "console", mDBTLS + "api", mDBTLS + "api", mAPITLS + "api"}
			if mode == hardeningtest.Preview {
				want = []string{mConsoleTLS + "console", mDBTLS + "api",
					aAPITLS + "api", aDBTLS + "api", aEnvSecrets + "api", aSMTP + "api", aCaptcha + "api",
					aEndpoints + "api"}
			}
			k8sCompare(t, res, want)
			k8sMessages(t, res, "database-tls", "api", "migration")
		})
		t.Run("TLS at the load balancer/"+mode.String(), func(t *testing.T) {
			res := k8sRun(t, installer().k8sProgram, mode,
				map[string]any{"console-tls": map[string]any{"consoleTlsTerminatedAtLoadBalancer": true}})
			for _, f := range res.ByPolicy("console-tls") {
				t.Errorf("console-tls waived, got %v", f)
			}
		})
	}
}

// k8sRefProgram is the API Deployment with its database TLS variables (or
// its TLS key) behind an envFrom whose target's name or namespace comes
// from another resource's output: unknown in preview.
type k8sRefProgram struct {
	// cmName names the ConfigMap db-tls: "" literal, "ns" from the
	// Namespace's id.
	cmName string
	// refName is what the envFrom names: "cm" the ConfigMap's name output,
	// "ssm" an SSM parameter's id (nothing to do with the ConfigMap).
	refName string
	// namespaceFromID puts the ConfigMap and the Deployment in the
	// namespace named by the Namespace's id.
	namespaceFromID bool
	// secretRef: the envFrom is a secretRef for API_TLS_PRIVATE_KEY rather
	// than a configMapRef for the database TLS.
	secretRef bool
	// elsewhere: only the Deployment's namespace is the output; the
	// ConfigMap is in the default namespace and also holds the license key.
	elsewhere bool
}

func (p k8sRefProgram) program(ctx *pulumi.Context) error {
	ns, err := corev1.NewNamespace(ctx, "apps", nil)
	if err != nil {
		return err
	}
	param, err := ssm.NewParameter(ctx, "db-tls-name", &ssm.ParameterArgs{
		Type: pulumi.String("String"), Value: pulumi.String("db-tls")})
	if err != nil {
		return err
	}
	var namespace pulumi.StringInput = pulumi.String(k8sNamespace)
	if p.namespaceFromID {
		namespace = ns.ID().ToStringOutput()
	}
	cmMeta := &metav1.ObjectMetaArgs{Namespace: namespace, Name: pulumi.String("db-tls")}
	if p.elsewhere {
		namespace = ns.ID().ToStringOutput()
		cmMeta.Namespace = nil
	}
	if p.cmName == "ns" {
		cmMeta.Name = ns.ID().ToStringOutput().ApplyT(func(id string) string { return "db-tls-" + id }).(pulumi.StringOutput)
	}
	moved := []string{"DATABASE_CA_CERTIFICATE", "DATABASE_MIN_TLS_VERSION"}
	data := pulumi.StringMap{"DATABASE_CA_CERTIFICATE": pulumi.String(k8sCert), "DATABASE_MIN_TLS_VERSION": pulumi.String("1.2")}
	if p.elsewhere {
		data["PULUMI_LICENSE_KEY"] = pulumi.String(config.New(ctx, "").Require("licenseKey"))
	}
	var target interface{ metaName() pulumi.StringPtrOutput }
	if p.secretRef {
		moved = []string{"API_TLS_PRIVATE_KEY"}
		sec, err := corev1.NewSecret(ctx, "api-tls", &corev1.SecretArgs{Metadata: cmMeta,
			StringData: pulumi.StringMap{"API_TLS_PRIVATE_KEY": pulumi.String(k8sAPITLSKey)}})
		if err != nil {
			return err
		}
		target = k8sNamed{sec.Metadata}
	} else {
		cm, err := corev1.NewConfigMap(ctx, "db-tls", &corev1.ConfigMapArgs{Metadata: cmMeta, Data: data})
		if err != nil {
			return err
		}
		target = k8sNamed{cm.Metadata}
	}
	secret, err := corev1.NewSecret(ctx, "api-env", &corev1.SecretArgs{
		Metadata: &metav1.ObjectMetaArgs{Namespace: namespace}, StringData: k8sHardenedSecretData()})
	if err != nil {
		return err
	}
	var env corev1.EnvVarArray
	for _, v := range k8sHardened().container("pulumi-service").env {
		skip := false
		for _, m := range moved {
			skip = skip || v.name == m
		}
		switch {
		case skip:
		case v.from == k8sFromSecret:
			env = append(env, corev1.EnvVarArgs{Name: pulumi.String(v.name), ValueFrom: &corev1.EnvVarSourceArgs{
				SecretKeyRef: &corev1.SecretKeySelectorArgs{Name: secret.Metadata.Name(), Key: pulumi.String(v.name)}}})
		default:
			env = append(env, corev1.EnvVarArgs{Name: pulumi.String(v.name), Value: pulumi.String(v.value)})
		}
	}
	var refName pulumi.StringPtrInput = target.metaName()
	if p.refName == "ssm" {
		refName = param.ID().ToStringOutput()
	}
	from := corev1.EnvFromSourceArgs{ConfigMapRef: &corev1.ConfigMapEnvSourceArgs{Name: refName}}
	if p.secretRef {
		from = corev1.EnvFromSourceArgs{SecretRef: &corev1.SecretEnvSourceArgs{Name: refName}}
	}
	labels := pulumi.StringMap{"app": pulumi.String("api")}
	_, err = appsv1.NewDeployment(ctx, "api", &appsv1.DeploymentArgs{
		Metadata: &metav1.ObjectMetaArgs{Namespace: namespace},
		Spec: &appsv1.DeploymentSpecArgs{
			Selector: &metav1.LabelSelectorArgs{MatchLabels: labels},
			Template: corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: labels},
				Spec: corev1.PodSpecArgs{Containers: corev1.ContainerArray{corev1.ContainerArgs{
					Name: pulumi.String("pulumi-service"), Image: pulumi.String(k8sAPIImage),
					Env: env, EnvFrom: corev1.EnvFromSourceArray{from},
				}}},
			},
		},
	})
	return err
}

type k8sNamed struct{ m metav1.ObjectMetaOutput }

func (n k8sNamed) metaName() pulumi.StringPtrOutput { return n.m.Name() }

// TestK8sUnknownReferences: a ConfigMap or Secret reference whose name or
// namespace is an output. In preview it is "cannot be verified", never a
// violation; in update it is joined by value, or, naming nothing in the
// stack, "cannot be verified" for what it might set.
func TestK8sUnknownReferences(t *testing.T) {
	for _, c := range []struct {
		name    string
		p       k8sRefProgram
		preview []string
		update  []string
		words   map[hardeningtest.Mode][]string
	}{
		// The name is an output: in preview the envFrom may bring anything
		// (each policy that judges the API says it cannot); in update it is
		// joined by value.
		{name: "ConfigMap name from an output, referenced by its output", p: k8sRefProgram{cmName: "ns"},
			preview: k8sAPIAdvisories, words: map[hardeningtest.Mode][]string{
				hardeningtest.Preview: {"cannot be verified during preview", "envFrom[0].configMapRef.name is not known until update"},
			}},
		{name: "Secret name from an output, referenced by its output", p: k8sRefProgram{cmName: "ns", secretRef: true},
			preview: k8sAPIAdvisories, words: map[hardeningtest.Mode][]string{
				hardeningtest.Preview: {"cannot be verified during preview", "envFrom[0].secretRef.name is not known until update"},
			}},
		// Known names in a namespace that is an output (the same one for
		// both): in preview which namespace the Deployment is in is not
		// known, so neither is what its envFrom reads; in update they join.
		{name: "namespace from an output", p: k8sRefProgram{namespaceFromID: true},
			preview: k8sAPIAdvisories, words: map[hardeningtest.Mode][]string{
				hardeningtest.Preview: {"cannot be verified during preview", "metadata.namespace is not known until update"},
			}},
		{name: "namespace and ConfigMap name from outputs", p: k8sRefProgram{namespaceFromID: true, cmName: "ns"},
			preview: k8sAPIAdvisories, words: map[hardeningtest.Mode][]string{
				hardeningtest.Preview: {"cannot be verified during preview", "envFrom[0].configMapRef.name is not known until update"},
			}},
		// The Deployment's namespace is not known in preview, so neither is
		// which ConfigMap "db-tls" it reads: not the one of the default
		// namespace (in update it is "apps-id"). Judging that one in preview
		// would call the license key in it a plain-text variable of the API.
		{name: "namespace from an output, a ConfigMap of that name elsewhere", p: k8sRefProgram{elsewhere: true},
			preview: append(append([]string{}, k8sAPIAdvisories...), mConfigMap+"db-tls"),
			update:  []string{aDBTLS + "api", mConfigMap + "db-tls"},
			words: map[hardeningtest.Mode][]string{
				hardeningtest.Preview: {"cannot be verified during preview", "metadata.namespace is not known until update"},
				hardeningtest.Update:  {"cannot be verified", "not in the stack"},
			}},
		// The name comes from an SSM parameter: in preview the envFrom may
		// bring anything; in update it names nothing in the stack.
		{name: "ConfigMap named by an unrelated output", p: k8sRefProgram{refName: "ssm"},
			preview: k8sAPIAdvisories, update: []string{aDBTLS + "api"},
			words: map[hardeningtest.Mode][]string{
				hardeningtest.Preview: {"cannot be verified during preview", "envFrom[0].configMapRef.name is not known until update"},
				hardeningtest.Update:  {"cannot be verified", "envFrom[0].configMapRef.name", "DATABASE_CA_CERTIFICATE", "not in the stack"},
			}},
		// The spec's one Secret dependency is api-env, which its
		// secretKeyRefs name: that is no reason to join this envFrom to it
		// in preview.
		{name: "Secret named by an unrelated output", p: k8sRefProgram{refName: "ssm", secretRef: true},
			preview: k8sAPIAdvisories, update: []string{aAPITLS + "api"},
			words: map[hardeningtest.Mode][]string{
				hardeningtest.Preview: {"cannot be verified during preview", "envFrom[0].secretRef.name is not known until update"},
				hardeningtest.Update:  {"cannot be verified", "envFrom[0].secretRef.name", "API_TLS_PRIVATE_KEY", "not in the stack"},
			}},
	} {
		for _, mode := range k8sModes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				res := k8sRun(t, c.p.program, mode, nil)
				want := c.update
				if mode == hardeningtest.Preview {
					want = c.preview
				}
				k8sCompare(t, res, want)
				if len(want) > 0 {
					f := strings.Fields(want[0])
					k8sMessages(t, res, f[1], f[2], c.words[mode]...)
				}
			})
		}
	}
}

// TestK8sHarnessNames: the harness names Kubernetes objects as the
// kubernetes provider's Check does, so that references by
// secret.Metadata.Name() resolve in both modes: an object without
// metadata.name gets its logical name, in the inputs the policies see and
// in what the program reads back; a name the program gives is kept; an
// unknown one (an output, generateName) stays unknown in preview.
func TestK8sHarnessNames(t *testing.T) {
	for _, mode := range k8sModes {
		t.Run(mode.String(), func(t *testing.T) {
			seen := map[string]string{}
			program := func(ctx *pulumi.Context) error {
				ns, err := corev1.NewNamespace(ctx, "apps", nil)
				if err != nil {
					return err
				}
				auto, err := corev1.NewSecret(ctx, "auto", &corev1.SecretArgs{
					Metadata: &metav1.ObjectMetaArgs{Namespace: pulumi.String("pulumi")}})
				if err != nil {
					return err
				}
				bare, err := corev1.NewConfigMap(ctx, "bare", nil)
				if err != nil {
					return err
				}
				named, err := corev1.NewConfigMap(ctx, "named", &corev1.ConfigMapArgs{
					Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String("given")}})
				if err != nil {
					return err
				}
				fromOutput, err := corev1.NewConfigMap(ctx, "from-output", &corev1.ConfigMapArgs{
					Metadata: &metav1.ObjectMetaArgs{Name: ns.ID().ToStringOutput()}})
				if err != nil {
					return err
				}
				generated, err := corev1.NewConfigMap(ctx, "generated", &corev1.ConfigMapArgs{
					Metadata: &metav1.ObjectMetaArgs{GenerateName: pulumi.String("gen-")}})
				if err != nil {
					return err
				}
				for name, o := range map[string]pulumi.StringPtrOutput{
					"auto": auto.Metadata.Name(), "bare": bare.Metadata.Name(), "named": named.Metadata.Name(),
					"from-output": fromOutput.Metadata.Name(), "generated": generated.Metadata.Name(),
				} {
					name := name
					o.ApplyT(func(v *string) int {
						if v == nil {
							seen[name] = "<nil>"
						} else {
							seen[name] = *v
						}
						return 0
					})
				}
				return nil
			}
			res := k8sRun(t, program, mode, nil)
			inputs := map[string]string{}
			for _, r := range res.Resources {
				n := r.Inputs.GetFields()["metadata"].GetStructValue().GetFields()["name"]
				inputs[r.Name] = n.GetStringValue()
			}
			unknown := "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
			wantInputs := map[string]string{"apps": "apps", "auto": "auto", "bare": "bare", "named": "given",
				"from-output": "apps-id", "generated": ""}
			// What the program reads back; an unknown output never runs its
			// apply. (In update a generateName object reads back no name,
			// where the API server would have picked one: not judged here.)
			wantSeen := map[string]string{"auto": "auto", "bare": "bare", "named": "given",
				"from-output": "apps-id"}
			if _, ran := seen["generated"]; ran && mode == hardeningtest.Preview {
				t.Errorf("generated: a generateName object's name must be unknown in preview, read %q", seen["generated"])
			}
			delete(seen, "generated")
			if mode == hardeningtest.Preview {
				wantInputs["from-output"] = unknown
				delete(wantSeen, "from-output")
			}
			for name, want := range wantInputs {
				if inputs[name] != want {
					t.Errorf("%s: recorded metadata.name %q, want %q", name, inputs[name], want)
				}
			}
			if fmt.Sprint(seen) != fmt.Sprint(wantSeen) {
				t.Errorf("the program read back %v, want %v", seen, wantSeen)
			}
		})
	}
}
