package programs

import (
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The ingress-nginx controller in front of the AKS, GKE and byo-infra
// programs: a Helm Release (aks-hosted) or a Helm v3 Chart's rendered
// objects (gke-hosted, byo-infra).

const (
	// IngressNamespace is the controller's namespace.
	IngressNamespace = "ingress-nginx"
	// IngressChartName is the v3 Chart component's name (its release name),
	// and IngressReleaseName the Helm Release's.
	IngressChartName   = "ingress-nginx"
	IngressReleaseName = "ingress"
	// IngressControllerService and IngressControllerDeployment are the
	// logical names of the chart's rendered controller Service and
	// Deployment: "<namespace>/<name>", as @pulumi/kubernetes names a v3
	// Chart's children.
	IngressControllerService    = IngressNamespace + "/ingress-nginx-controller"
	IngressControllerDeployment = IngressNamespace + "/ingress-nginx-controller"
	ingressAdmissionService     = IngressNamespace + "/ingress-nginx-controller-admission"

	// FixedIngressChart and FixedIngressController are the first releases
	// with the fixes for CVE-2025-1974 on the 4.12 line, which the hardened
	// programs pin.
	FixedIngressChart      = "4.12.1"
	FixedIngressController = "1.12.1"
)

// ingressChartRepo is the ingress-nginx project's chart repository.
const ingressChartRepo = "https://kubernetes.github.io/ingress-nginx"

// ingressControllerImage is the controller image a chart renders (by tag;
// the chart also pins a digest, left out here).
func ingressControllerImage(version string) string {
	return "registry.k8s.io/ingress-nginx/controller:v" + version
}

// ingressNamespace registers the controller's Namespace.
func ingressNamespace(ctx *pulumi.Context, opt pulumi.ResourceOption) (*corev1.Namespace, error) {
	return corev1.NewNamespace(ctx, IngressNamespace, &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(IngressNamespace)},
	}, opt)
}

// renderedChart is what the programs set on an ingress-nginx chart whose
// rendered objects they register.
type renderedChart struct {
	chartVersion, controllerVersion string
	serviceType                     string            // LoadBalancer, NodePort
	sourceRanges                    []string          // controller.service.loadBalancerSourceRanges
	annotations                     map[string]string // controller.service.annotations
}

// chartComponent is a kubernetes:helm.sh/v3:Chart component.
type chartComponent struct{ pulumi.ResourceState }

// ingressNginxChart registers a kubernetes:helm.sh/v3:Chart component as
// the engine sees one from @pulumi/kubernetes in TypeScript: a component
// without inputs (the Node SDK sends none for a component it constructs
// itself; the chart, version and values stay in the program), whose
// children are the chart's rendered objects. The stand-in Kubernetes
// provider renders no chart, so the program registers those children
// itself, as ingress-nginx <chartVersion> renders them with the given
// values: the controller Service, the admission webhook's Service and the
// controller Deployment (the ServiceAccount, ConfigMap, RBAC objects, the
// IngressClass and the webhook configuration and Jobs are left out: the
// pack does not judge them).
func ingressNginxChart(ctx *pulumi.Context, c renderedChart, k8s pulumi.ProviderResource, ns pulumi.Resource) error {
	var chart chartComponent
	if err := ctx.RegisterComponentResource("kubernetes:helm.sh/v3:Chart", IngressChartName, &chart,
		pulumi.Parent(ns), pulumi.Providers(k8s)); err != nil {
		return err
	}
	opts := []pulumi.ResourceOption{pulumi.Parent(&chart), pulumi.Provider(k8s)}
	labels := pulumi.StringMap{
		"helm.sh/chart":                pulumi.String("ingress-nginx-" + c.chartVersion),
		"app.kubernetes.io/name":       pulumi.String("ingress-nginx"),
		"app.kubernetes.io/instance":   pulumi.String(IngressChartName),
		"app.kubernetes.io/version":    pulumi.String(c.controllerVersion),
		"app.kubernetes.io/part-of":    pulumi.String("ingress-nginx"),
		"app.kubernetes.io/managed-by": pulumi.String("Helm"),
		"app.kubernetes.io/component":  pulumi.String("controller"),
	}
	selector := pulumi.StringMap{
		"app.kubernetes.io/name":      pulumi.String("ingress-nginx"),
		"app.kubernetes.io/instance":  pulumi.String(IngressChartName),
		"app.kubernetes.io/component": pulumi.String("controller"),
	}
	meta := func(name string, ann map[string]string) *metav1.ObjectMetaArgs {
		m := &metav1.ObjectMetaArgs{Name: pulumi.String(name), Namespace: pulumi.String(IngressNamespace), Labels: labels}
		if len(ann) > 0 {
			m.Annotations = pulumi.ToStringMap(ann)
		}
		return m
	}
	port := func(name string, number int) corev1.ServicePortInput {
		return corev1.ServicePortArgs{Name: pulumi.String(name), Port: pulumi.Int(number), Protocol: pulumi.String("TCP"),
			TargetPort: pulumi.String(name), AppProtocol: pulumi.String(name)}
	}
	spec := &corev1.ServiceSpecArgs{
		Type:           pulumi.String(c.serviceType),
		IpFamilyPolicy: pulumi.String("SingleStack"),
		IpFamilies:     pulumi.ToStringArray([]string{"IPv4"}),
		Ports:          corev1.ServicePortArray{port("http", 80), port("https", 443)},
		Selector:       selector,
	}
	if len(c.sourceRanges) > 0 {
		spec.LoadBalancerSourceRanges = pulumi.ToStringArray(c.sourceRanges)
	}
	if _, err := corev1.NewService(ctx, IngressControllerService, &corev1.ServiceArgs{
		ApiVersion: pulumi.String("v1"), Kind: pulumi.String("Service"),
		Metadata: meta("ingress-nginx-controller", c.annotations),
		Spec:     spec,
	}, opts...); err != nil {
		return err
	}
	if _, err := corev1.NewService(ctx, ingressAdmissionService, &corev1.ServiceArgs{
		ApiVersion: pulumi.String("v1"), Kind: pulumi.String("Service"),
		Metadata: meta("ingress-nginx-controller-admission", nil),
		Spec: &corev1.ServiceSpecArgs{
			Type: pulumi.String("ClusterIP"),
			Ports: corev1.ServicePortArray{corev1.ServicePortArgs{Name: pulumi.String("https-webhook"), Port: pulumi.Int(443),
				TargetPort: pulumi.String("webhook"), AppProtocol: pulumi.String("https")}},
			Selector: selector,
		},
	}, opts...); err != nil {
		return err
	}
	fieldEnv := func(name, path string) corev1.EnvVarInput {
		return corev1.EnvVarArgs{Name: pulumi.String(name), ValueFrom: corev1.EnvVarSourceArgs{
			FieldRef: corev1.ObjectFieldSelectorArgs{FieldPath: pulumi.String(path)},
		}}
	}
	containerPort := func(name string, number int) corev1.ContainerPortInput {
		return corev1.ContainerPortArgs{Name: pulumi.String(name), ContainerPort: pulumi.Int(number), Protocol: pulumi.String("TCP")}
	}
	_, err := appsv1.NewDeployment(ctx, IngressControllerDeployment, &appsv1.DeploymentArgs{
		ApiVersion: pulumi.String("apps/v1"), Kind: pulumi.String("Deployment"),
		Metadata: meta("ingress-nginx-controller", nil),
		Spec: appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(2),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: selector},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: labels},
				Spec: corev1.PodSpecArgs{
					ServiceAccountName: pulumi.String("ingress-nginx"),
					Containers: corev1.ContainerArray{corev1.ContainerArgs{
						Name:  pulumi.String("controller"),
						Image: pulumi.String(ingressControllerImage(c.controllerVersion)),
						Args: pulumi.ToStringArray([]string{
							"/nginx-ingress-controller",
							"--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller",
							"--election-id=ingress-nginx-leader",
							"--controller-class=k8s.io/ingress-nginx",
							"--ingress-class=nginx",
							"--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
							"--validating-webhook=:8443",
							"--validating-webhook-certificate=/usr/local/certificates/cert",
							"--validating-webhook-key=/usr/local/certificates/key",
						}),
						Env: corev1.EnvVarArray{
							fieldEnv("POD_NAME", "metadata.name"),
							fieldEnv("POD_NAMESPACE", "metadata.namespace"),
							corev1.EnvVarArgs{Name: pulumi.String("LD_PRELOAD"), Value: pulumi.String("/usr/local/lib/libmimalloc.so")},
						},
						Ports: corev1.ContainerPortArray{containerPort("http", 80), containerPort("https", 443), containerPort("webhook", 8443)},
						VolumeMounts: corev1.VolumeMountArray{corev1.VolumeMountArgs{
							Name: pulumi.String("webhook-cert"), MountPath: pulumi.String("/usr/local/certificates/"), ReadOnly: pulumi.Bool(true),
						}},
					}},
					Volumes: corev1.VolumeArray{corev1.VolumeArgs{
						Name:   pulumi.String("webhook-cert"),
						Secret: &corev1.SecretVolumeSourceArgs{SecretName: pulumi.String("ingress-nginx-admission")},
					}},
				},
			},
		},
	}, opts...)
	return err
}

// releaseResource is a kubernetes:helm.sh/v3:Release, registered by type
// token: the SDK's helm/v3 package imports every Kubernetes kind's package
// (for its Chart), minutes of compiling that the Release does not need.
type releaseResource struct{ pulumi.CustomResourceState }

// ingressNginxRelease registers ingress-nginx as a
// kubernetes:helm.sh/v3:Release, as aks-hosted's 02-kubernetes does, with
// the inputs @pulumi/kubernetes sends (compat "true" included): the
// controller Service is visible only through the Release's values.
func ingressNginxRelease(ctx *pulumi.Context, version string, service pulumi.Map, k8s pulumi.ProviderResource,
	ns *corev1.Namespace,
) error {
	linux := pulumi.Map{"kubernetes.io/os": pulumi.String("linux")}
	var r releaseResource
	return ctx.RegisterResource("kubernetes:helm.sh/v3:Release", IngressReleaseName, pulumi.Map{
		"chart":          pulumi.String("ingress-nginx"),
		"repositoryOpts": pulumi.Map{"repo": pulumi.String(ingressChartRepo)},
		"namespace":      ns.Metadata.Name(),
		"version":        pulumi.String(version),
		"compat":         pulumi.String("true"),
		"values": pulumi.Map{
			"controller": pulumi.Map{
				"replicaCount":      pulumi.Int(1),
				"nodeSelector":      linux,
				"admissionWebhooks": pulumi.Map{"patch": pulumi.Map{"nodeSelector": linux}},
				"service":           service,
			},
			"defaultBackend": pulumi.Map{"nodeSelector": linux},
		},
	}, &r, pulumi.Provider(k8s), pulumi.Parent(ns))
}
