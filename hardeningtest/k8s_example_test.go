package hardeningtest_test

import (
	"fmt"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/selfhosted-hardening/selfhosted-hardening/hardeningtest"
)

// A Kubernetes program: the API's TLS key comes from a Secret and its
// database TLS settings from a ConfigMap, both joined to the Deployment by
// name; the license key is in the plain env.
func Example_kubernetes() {
	program := func(ctx *pulumi.Context) error {
		tls, err := corev1.NewSecret(ctx, "api-tls", &corev1.SecretArgs{
			StringData: pulumi.StringMap{
				"API_TLS_CERTIFICATE": pulumi.String("-----BEGIN CERTIFICATE-----..."),
				"API_TLS_PRIVATE_KEY": config.New(ctx, "").RequireSecret("apiTlsKey"),
			},
		})
		if err != nil {
			return err
		}
		settings, err := corev1.NewConfigMap(ctx, "api-settings", &corev1.ConfigMapArgs{
			Data: pulumi.StringMap{
				"API_MIN_TLS_VERSION":      pulumi.String("1.2"),
				"DATABASE_CA_CERTIFICATE":  pulumi.String("-----BEGIN CERTIFICATE-----..."),
				"DATABASE_MIN_TLS_VERSION": pulumi.String("1.2"),
			},
		})
		if err != nil {
			return err
		}
		labels := pulumi.StringMap{"app": pulumi.String("api")}
		_, err = appsv1.NewDeployment(ctx, "api", &appsv1.DeploymentArgs{
			Spec: &appsv1.DeploymentSpecArgs{
				Selector: &metav1.LabelSelectorArgs{MatchLabels: labels},
				Template: corev1.PodTemplateSpecArgs{
					Metadata: &metav1.ObjectMetaArgs{Labels: labels},
					Spec: corev1.PodSpecArgs{Containers: corev1.ContainerArray{corev1.ContainerArgs{
						Name:  pulumi.String("api"),
						Image: pulumi.String("pulumi/service:latest"),
						EnvFrom: corev1.EnvFromSourceArray{
							corev1.EnvFromSourceArgs{SecretRef: &corev1.SecretEnvSourceArgs{Name: tls.Metadata.Name()}},
							corev1.EnvFromSourceArgs{ConfigMapRef: &corev1.ConfigMapEnvSourceArgs{Name: settings.Metadata.Name()}},
						},
						Env: corev1.EnvVarArray{corev1.EnvVarArgs{
							Name:  pulumi.String("PULUMI_LICENSE_KEY"),
							Value: pulumi.String("LICENSE-KEY"), // should be a secretKeyRef
						}},
					}}},
				},
			},
		})
		return err
	}
	res, err := hardeningtest.Run(program, hardeningtest.Options{
		Mode:         hardeningtest.Preview,
		SecretConfig: map[string]string{"project:apiTlsKey": "-----BEGIN PRIVATE KEY-----..."},
	})
	if err != nil {
		panic(err)
	}
	for _, f := range res.Mandatory() {
		fmt.Println(f.Policy, f.ResourceName(), f.Severity)
	}
	// Output: container-secrets-not-in-environment api critical
}
