// Package examples holds one passing and one failing example of each policy
// of the pack, as a program declares them, and proves them: Prove runs each
// through the policy in preview and update (the tests do, and so does the
// docs generator before it renders them into README.md, with the finding
// the failing one gives at that moment).
//
// It is not part of the pack binary (it uses the test fixtures); only the
// tests and internal/docgen/cmd import it. A new policy needs its pair
// here: TestEveryPolicyHasAnExample fails without one.
package examples

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
)

// Project is the Pulumi project of the examples: stack config keys of the
// program are "app:<key>".
const Project = "app"

// Example is a policy's pair: a program it passes (no finding of the policy
// at all) and one it fails (at least one violation), in preview and update.
type Example struct {
	Policy    string
	Good, Bad Case
}

// Case is a program: its resources, with inputs as it declares them
// (fixture.ID for another resource's id, fixture.Secret for a secret, JSON
// for a value the program JSON-encodes), its stack config ("app:key" to a
// string or a fixture.Secret of one) and the policy's config (nil: the
// defaults).
type Case struct {
	Resources []*fixture.Res
	Stack     map[string]any
	Config    map[string]any
}

// JSON is a value the program passes as its JSON text (JSON.stringify,
// fn::toJSON), such as an ECS task definition's containerDefinitions.
type JSON struct{ Value any }

type (
	m = map[string]any
	l = []any
)

const (
	apiImage        = "pulumi/service:20251101"
	consoleImage    = "pulumi/console:20251101"
	migrationsImage = "pulumi/migrations:20251101"
	cert            = "-----BEGIN CERTIFICATE-----"
	allowlist       = "203.0.113.0/24"
	kmsKey          = "arn:aws:kms:us-west-2:123456789012:key/5e6f7a8b-1c2d-4e3f-9a0b-c1d2e3f4a5b6"
	secretArn       = "arn:aws:secretsmanager:us-west-2:123456789012:secret:"
)

func r(typ, name string, in m) *fixture.Res { return fixture.R(typ, name, in) }

func resources(rs ...*fixture.Res) Case { return Case{Resources: rs} }

func id(name string) fixture.IDRef { return fixture.ID(name) }

// taskDef is an ECS task definition with these container definitions.
func taskDef(name string, containers ...m) *fixture.Res {
	return r("aws:ecs/taskDefinition:TaskDefinition", name, m{"family": name, "containerDefinitions": JSON{l(toList(containers))}})
}

// container is an ECS container definition: environment pairs, and the
// names of variables set from Secrets Manager.
func container(name, image string, environment []string, secrets ...string) m {
	c := m{"name": name, "image": image}
	var env l
	for i := 0; i+1 < len(environment); i += 2 {
		env = append(env, m{"name": environment[i], "value": environment[i+1]})
	}
	if env != nil {
		c["environment"] = env
	}
	var s l
	for _, n := range secrets {
		s = append(s, m{"name": n, "valueFrom": secretArn + n})
	}
	if s != nil {
		c["secrets"] = s
	}
	return c
}

// deployment is a Kubernetes Deployment in namespace "pulumi".
func deployment(name string, containers ...m) *fixture.Res {
	return r("kubernetes:apps/v1:Deployment", name, m{"metadata": m{"namespace": "pulumi"},
		"spec": m{"template": m{"spec": m{"containers": l(toList(containers))}}}})
}

// labelled is a deployment whose pods carry app.kubernetes.io/name: name.
func labelled(name string, containers ...m) *fixture.Res {
	d := deployment(name, containers...)
	labels := m{"app.kubernetes.io/name": name}
	spec := d.Inputs["spec"].(m)
	spec["selector"] = m{"matchLabels": labels}
	spec["template"].(m)["metadata"] = m{"labels": labels}
	return d
}

// kcontainer is a Kubernetes container: env "NAME=value" for a value,
// "NAME<key" for a key of Secret "pulumi-secrets".
func kcontainer(name, image string, env ...string) m {
	var out l
	for _, e := range env {
		for i := 0; i < len(e); i++ {
			if e[i] == '=' {
				out = append(out, m{"name": e[:i], "value": e[i+1:]})
				break
			}
			if e[i] == '<' {
				out = append(out, m{"name": e[:i], "valueFrom": m{"secretKeyRef": m{"name": "pulumi-secrets", "key": e[i+1:]}}})
				break
			}
		}
	}
	c := m{"name": name, "image": image}
	if out != nil {
		c["env"] = out
	}
	return c
}

func toList(ms []m) []any {
	out := make([]any, len(ms))
	for i, x := range ms {
		out[i] = x
	}
	return out
}

func tcp(port int, cidrs ...any) m {
	return m{"protocol": "tcp", "fromPort": port, "toPort": port, "cidrBlocks": l(cidrs)}
}

// vpc is a VPC and one subnet, "app-a", routed by the VPC's main route
// table (no route to an internet gateway): a private subnet, unless extra
// says otherwise.
func vpc(extra m) []*fixture.Res {
	subnet := m{"vpcId": id("vpc"), "cidrBlock": "10.0.1.0/24"}
	for k, v := range extra {
		subnet[k] = v
	}
	return []*fixture.Res{
		r("aws:ec2/vpc:Vpc", "vpc", m{"cidrBlock": "10.0.0.0/16"}),
		r("aws:ec2/subnet:Subnet", "app-a", subnet),
	}
}

// All lists every example, one per policy, in the pack's order of names.
func All() []Example {
	return []Example{
		{Policy: "aks-local-accounts-disabled",
			Good: resources(r("azure-native:containerservice:ManagedCluster", "aks", m{"resourceGroupName": "pulumi-rg",
				"dnsPrefix": "pulumi", "aadProfile": m{"managed": true, "adminGroupObjectIDs": l{"00000000-0000-0000-0000-0000000000ad"}},
				"disableLocalAccounts": true})),
			Bad: resources(r("azure-native:containerservice:ManagedCluster", "aks", m{"resourceGroupName": "pulumi-rg",
				"dnsPrefix": "pulumi", "aadProfile": m{"managed": true, "adminGroupObjectIDs": l{"00000000-0000-0000-0000-0000000000ad"}}}))},

		{Policy: "api-tls",
			Good: resources(taskDef("api", container("api", apiImage,
				[]string{"API_TLS_CERTIFICATE", cert, "API_MIN_TLS_VERSION", "1.2"}, "API_TLS_PRIVATE_KEY"))),
			Bad: resources(taskDef("api", container("api", apiImage, []string{"PULUMI_ENTERPRISE", "true"})))},

		{Policy: "app-in-private-subnets",
			Good: resources(append(vpc(nil), r("aws:ecs/service:Service", "api", m{
				"networkConfiguration": m{"subnets": l{id("app-a")}, "assignPublicIp": false}}))...),
			Bad: resources(append(vpc(nil), r("aws:ecs/service:Service", "api", m{
				"networkConfiguration": m{"subnets": l{id("app-a")}, "assignPublicIp": true}}))...)},

		{Policy: "app-security-group-restricted",
			Good: resources(r("aws:ec2/securityGroup:SecurityGroup", "lb-sg", m{}),
				r("aws:ec2/securityGroup:SecurityGroup", "app-sg", m{"ingress": l{
					m{"protocol": "tcp", "fromPort": 8080, "toPort": 8080, "securityGroups": l{id("lb-sg")}}}}),
				r("aws:ecs/service:Service", "api", m{"networkConfiguration": m{"securityGroups": l{id("app-sg")}}})),
			Bad: resources(r("aws:ec2/securityGroup:SecurityGroup", "app-sg", m{"ingress": l{tcp(8080, "0.0.0.0/0")}}),
				r("aws:ecs/service:Service", "api", m{"networkConfiguration": m{"securityGroups": l{id("app-sg")}}}))},

		{Policy: "captcha-configured",
			Good: resources(taskDef("api", container("api", apiImage, nil, "RECAPTCHA_SECRET_KEY")),
				taskDef("console", container("console", consoleImage, []string{"RECAPTCHA_SITE_KEY", "0x4AAAAAAA-site-key"}))),
			Bad: resources(taskDef("api", container("api", apiImage, nil)),
				taskDef("console", container("console", consoleImage, nil)))},

		{Policy: "configmap-no-secrets",
			Good: resources(r("kubernetes:core/v1:ConfigMap", "api-config", m{"metadata": m{"namespace": "pulumi"},
				"data": m{"SMTP_SERVER": "smtp.example.com:587", "SMTP_USERNAME": "pulumi"}})),
			Bad: resources(r("kubernetes:core/v1:ConfigMap", "api-config", m{"metadata": m{"namespace": "pulumi"},
				"data": m{"SMTP_SERVER": "smtp.example.com:587", "SMTP_PASSWORD": "example-plain-password"}}))},

		{Policy: "console-tls",
			Good: resources(deployment("pulumi-console", kcontainer("console", consoleImage,
				"CONSOLE_TLS_CERTIFICATE="+cert, "CONSOLE_TLS_PRIVATE_KEY<console-tls-key"))),
			Bad: resources(deployment("pulumi-console", kcontainer("console", consoleImage, "PULUMI_API=https://api.example.com")))},

		{Policy: "container-secrets-not-in-environment",
			Good: resources(deployment("pulumi-api", kcontainer("api", apiImage, "PULUMI_LICENSE_KEY<license-key"))),
			Bad:  resources(deployment("pulumi-api", kcontainer("api", apiImage, "PULUMI_LICENSE_KEY=example-plain-license")))},

		{Policy: "database-in-private-subnets",
			Good: resources(append(vpc(nil),
				r("aws:rds/subnetGroup:SubnetGroup", "db-subnets", m{"subnetIds": l{id("app-a")}}),
				r("aws:rds/instance:Instance", "db", m{"engine": "mysql", "dbSubnetGroupName": id("db-subnets")}))...),
			Bad: resources(append(vpc(m{"mapPublicIpOnLaunch": true}),
				r("aws:rds/subnetGroup:SubnetGroup", "db-subnets", m{"subnetIds": l{id("app-a")}}),
				r("aws:rds/instance:Instance", "db", m{"engine": "mysql", "dbSubnetGroupName": id("db-subnets")}))...)},

		{Policy: "database-requires-tls",
			Good: resources(r("aws:rds/parameterGroup:ParameterGroup", "mysql-tls", m{"family": "mysql8.0",
				"parameters": l{m{"name": "require_secure_transport", "value": "ON"}}}),
				r("aws:rds/instance:Instance", "db", m{"engine": "mysql", "parameterGroupName": id("mysql-tls")})),
			Bad: resources(r("aws:rds/instance:Instance", "db", m{"engine": "mysql", "parameterGroupName": "default.mysql8.0"}))},

		{Policy: "database-security-group-restricted",
			Good: resources(r("aws:ec2/securityGroup:SecurityGroup", "app-sg", m{}),
				r("aws:ec2/securityGroup:SecurityGroup", "db-sg", m{"ingress": l{
					m{"protocol": "tcp", "fromPort": 3306, "toPort": 3306, "securityGroups": l{id("app-sg")}}}}),
				r("aws:rds/instance:Instance", "db", m{"engine": "mysql", "vpcSecurityGroupIds": l{id("db-sg")}})),
			Bad: resources(r("aws:ec2/securityGroup:SecurityGroup", "db-sg", m{"ingress": l{tcp(3306, "0.0.0.0/0")}}),
				r("aws:rds/instance:Instance", "db", m{"engine": "mysql", "vpcSecurityGroupIds": l{id("db-sg")}}))},

		{Policy: "database-tls",
			Good: resources(taskDef("migrations", container("migrations", migrationsImage,
				[]string{"DATABASE_CA_CERTIFICATE", cert, "DATABASE_MIN_TLS_VERSION", "1.2"}))),
			Bad: resources(taskDef("migrations", container("migrations", migrationsImage,
				[]string{"DATABASE_CA_CERTIFICATE", cert})))},

		{Policy: "eks-endpoint-restricted",
			Good: resources(r("aws:eks/cluster:Cluster", "cluster", m{"vpcConfig": m{
				"subnetIds": l{"subnet-0priv1", "subnet-0priv2"}, "endpointPrivateAccess": true, "endpointPublicAccess": false}})),
			Bad: resources(r("aws:eks/cluster:Cluster", "cluster", m{"vpcConfig": m{
				"subnetIds": l{"subnet-0priv1", "subnet-0priv2"}}}))},

		{Policy: "eks-secrets-encrypted",
			Good: resources(r("aws:eks/cluster:Cluster", "cluster", m{"vpcConfig": m{"subnetIds": l{"subnet-0priv1"}},
				"encryptionConfig": m{"provider": m{"keyArn": kmsKey}, "resources": l{"secrets"}}})),
			Bad: resources(r("aws:eks/cluster:Cluster", "cluster", m{"vpcConfig": m{"subnetIds": l{"subnet-0priv1"}}}))},

		{Policy: "ingress-nginx-patched",
			Good: resources(r("kubernetes:helm.sh/v3:Release", "ingress", m{"chart": "ingress-nginx", "version": "4.12.1",
				"repositoryOpts": m{"repo": "https://kubernetes.github.io/ingress-nginx"}})),
			Bad: resources(r("kubernetes:helm.sh/v3:Release", "ingress", m{"chart": "ingress-nginx", "version": "4.6.1",
				"repositoryOpts": m{"repo": "https://kubernetes.github.io/ingress-nginx"}}))},

		{Policy: "load-balancer-ingress-allowlist",
			Good: Case{Config: m{"ingressAllowList": l{allowlist}}, Resources: []*fixture.Res{
				r("aws:ec2/securityGroup:SecurityGroup", "lb-sg", m{"ingress": l{tcp(443, allowlist)}}),
				r("aws:lb/loadBalancer:LoadBalancer", "lb", m{"internal": false, "securityGroups": l{id("lb-sg")}})}},
			Bad: Case{Config: m{"ingressAllowList": l{allowlist}}, Resources: []*fixture.Res{
				r("aws:ec2/securityGroup:SecurityGroup", "lb-sg", m{"ingress": l{tcp(443, "0.0.0.0/0")}}),
				r("aws:lb/loadBalancer:LoadBalancer", "lb", m{"internal": false, "securityGroups": l{id("lb-sg")}})}}},

		{Policy: "load-balancer-tls",
			Good: resources(r("aws:lb/listener:Listener", "https", m{"protocol": "HTTPS", "port": 443,
				"sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"})),
			Bad: resources(r("aws:lb/listener:Listener", "https", m{"protocol": "HTTPS", "port": 443,
				"sslPolicy": "ELBSecurityPolicy-2016-08"}))},

		{Policy: "network-policies-between-tiers",
			Good: resources(labelled("pulumi-api", kcontainer("api", apiImage)),
				r("kubernetes:networking.k8s.io/v1:NetworkPolicy", "pulumi-api-ingress", m{"metadata": m{"namespace": "pulumi"},
					"spec": m{"podSelector": m{"matchLabels": m{"app.kubernetes.io/name": "pulumi-api"}},
						"policyTypes": l{"Ingress"}, "ingress": l{m{"from": l{m{"ipBlock": m{"cidr": "10.0.0.0/16"}}}}}}})),
			Bad: resources(labelled("pulumi-api", kcontainer("api", apiImage)))},

		{Policy: "object-store-not-public",
			Good: resources(r("gcp:storage/bucket:Bucket", "checkpoints", m{"location": "US",
				"uniformBucketLevelAccess": true, "publicAccessPrevention": "enforced"})),
			Bad: resources(r("gcp:storage/bucket:Bucket", "checkpoints", m{"location": "US"}),
				r("gcp:storage/bucketIAMMember:BucketIAMMember", "checkpoints-public", m{"bucket": id("checkpoints"),
					"role": "roles/storage.objectViewer", "member": "allUsers"}))},

		{Policy: "object-store-tls",
			Good: resources(r("azure-native:storage:StorageAccount", "pulumi", m{"resourceGroupName": "pulumi-rg",
				"kind": "StorageV2", "sku": m{"name": "Standard_LRS"}, "minimumTlsVersion": "TLS1_2"})),
			Bad: resources(r("azure-native:storage:StorageAccount", "pulumi", m{"resourceGroupName": "pulumi-rg",
				"kind": "StorageV2", "sku": m{"name": "Standard_LRS"}, "enableHttpsTrafficOnly": false}))},

		{Policy: "opensearch-domain-encrypted",
			Good: resources(r("aws:opensearch/domain:Domain", "search", m{
				"encryptAtRest":        m{"enabled": true},
				"nodeToNodeEncryption": m{"enabled": true},
				"domainEndpointOptions": m{"enforceHttps": true,
					"tlsSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"}})),
			Bad: resources(r("aws:opensearch/domain:Domain", "search", m{
				"encryptAtRest":        m{"enabled": true},
				"nodeToNodeEncryption": m{"enabled": true},
				"domainEndpointOptions": m{"enforceHttps": false,
					"tlsSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"}}))},

		{Policy: "rds-not-publicly-accessible",
			Good: resources(r("aws:rds/instance:Instance", "db", m{"engine": "mysql", "publiclyAccessible": false})),
			Bad:  resources(r("aws:rds/instance:Instance", "db", m{"engine": "mysql", "publiclyAccessible": true}))},

		{Policy: "rds-storage-encrypted",
			Good: resources(r("aws:rds/instance:Instance", "db", m{"engine": "mysql", "storageEncrypted": true})),
			Bad:  resources(r("aws:rds/instance:Instance", "db", m{"engine": "mysql"}))},

		{Policy: "s3-bucket-encrypted",
			Good: resources(r("aws:s3/bucketV2:BucketV2", "checkpoints", m{}),
				r("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
					"checkpoints-sse", m{"bucket": id("checkpoints"), "rules": l{
						m{"applyServerSideEncryptionByDefault": m{"sseAlgorithm": "aws:kms"}}}})),
			Bad: resources(r("aws:s3/bucketV2:BucketV2", "checkpoints", m{}))},

		{Policy: "secret-inputs-marked-secret",
			Good: resources(r("aws:rds/instance:Instance", "db", m{"engine": "mysql", "username": "pulumi",
				"password": fixture.Secret("example-db-password")})),
			Bad: resources(r("aws:rds/instance:Instance", "db", m{"engine": "mysql", "username": "pulumi",
				"password": "example-plain-password"}))},

		{Policy: "security-group-egress-restricted",
			Good: resources(r("aws:ec2/securityGroup:SecurityGroup", "app-sg", m{"egress": l{tcp(443, "0.0.0.0/0")}}),
				r("aws:ecs/service:Service", "api", m{"networkConfiguration": m{"securityGroups": l{id("app-sg")}}})),
			Bad: resources(r("aws:ec2/securityGroup:SecurityGroup", "app-sg", m{"egress": l{
				m{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": l{"0.0.0.0/0"}}}}),
				r("aws:ecs/service:Service", "api", m{"networkConfiguration": m{"securityGroups": l{id("app-sg")}}}))},

		{Policy: "security-group-no-unrestricted-ingress",
			Good: resources(r("aws:ec2/securityGroup:SecurityGroup", "lb-sg", m{"ingress": l{tcp(443, "0.0.0.0/0")}})),
			Bad:  resources(r("aws:ec2/securityGroup:SecurityGroup", "lb-sg", m{"ingress": l{tcp(22, "0.0.0.0/0")}}))},

		{Policy: "smtp-configured",
			Good: resources(taskDef("api", container("api", apiImage, []string{"SMTP_SERVER", "smtp.example.com:587",
				"SMTP_USERNAME", "pulumi", "SMTP_GENERIC_SENDER", "noreply@example.com"}, "SMTP_PASSWORD"))),
			Bad: resources(taskDef("api", container("api", apiImage, nil)))},

		{Policy: "stack-config-secrets",
			Good: Case{Stack: m{"app:licenseKey": fixture.Secret("example-license-key"), "app:smtpServer": "smtp.example.com"}},
			Bad:  Case{Stack: m{"app:licenseKey": "example-plain-license", "app:smtpServer": "smtp.example.com"}}},
	}
}
