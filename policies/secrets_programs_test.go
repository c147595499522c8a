package policies_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/selfhosted-hardening/selfhosted-hardening/hardeningtest"
)

const (
	licenseKey = "LIC-7f3e-secret-license"
	dbPassword = "Db-Passw0rd-secret"
)

// secretsProgram builds the installer's secret plumbing. plain switches
// every secret to the mistakes the pack must catch.
func secretsProgram(plain bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		var license, password pulumi.StringInput
		if plain {
			// The ECS installer's mistake: a secret read with Require.
			license = pulumi.String(cfg.Require("licenseKey"))
			password = pulumi.String(dbPassword)
		} else {
			license = cfg.RequireSecret("licenseKey")
			password = pulumi.ToSecret(pulumi.String(dbPassword)).(pulumi.StringOutput)
		}
		if _, err := rds.NewInstance(ctx, "db", &rds.InstanceArgs{
			Engine: pulumi.String("mysql"), InstanceClass: pulumi.String("db.t3.micro"),
			StorageEncrypted: pulumi.Bool(true), Password: password,
		}); err != nil {
			return err
		}
		secret, err := secretsmanager.NewSecret(ctx, "license", nil)
		if err != nil {
			return err
		}
		if _, err := secretsmanager.NewSecretVersion(ctx, "license", &secretsmanager.SecretVersionArgs{
			SecretId: secret.ID(), SecretString: license,
		}); err != nil {
			return err
		}
		paramType := "SecureString"
		if plain {
			paramType = "String"
		}
		if _, err := ssm.NewParameter(ctx, "smtp-password", &ssm.ParameterArgs{
			Name: pulumi.String("/pulumi/smtp-password"), Type: pulumi.String(paramType), Value: password,
		}); err != nil {
			return err
		}
		// containerDefinitions is JSON built from outputs; a secret inside makes
		// the whole document secret.
		env := pulumi.Map{"name": pulumi.String("PULUMI_KMS_KEY"), "value": pulumi.String("kms-1")}
		secrets := pulumi.Array{pulumi.Map{"name": pulumi.String("PULUMI_LICENSE_KEY"), "valueFrom": secret.Arn}}
		if plain {
			env = pulumi.Map{"name": pulumi.String("PULUMI_LICENSE_KEY"), "value": license}
			secrets = pulumi.Array{}
		}
		defs := pulumi.JSONMarshal(pulumi.Array{pulumi.Map{
			"name": pulumi.String("pulumi-service"), "image": pulumi.String("pulumi/service:latest"),
			"environment": pulumi.Array{env}, "secrets": secrets,
		}})
		_, err = ecs.NewTaskDefinition(ctx, "api", &ecs.TaskDefinitionArgs{
			Family: pulumi.String("api"), ContainerDefinitions: defs,
		})
		return err
	}
}

func TestSecretsPrograms(t *testing.T) {
	for _, c := range []struct {
		name      string
		plain     bool
		secretCfg bool
		want      []string
	}{
		{"secrets kept", false, true, nil},
		// pulumi-aws wraps the inputs its schema marks secret (RDS passwords,
		// SecretVersion.secretString, ssm.Parameter.value) in pulumi.ToSecret,
		// so with the SDK they stay secrets even when passed plainly: no
		// secret-inputs finding for the password. The parameter's type is
		// still wrong.
		{"plain everywhere", true, false, []string{
			"container-secrets-not-in-environment api",
			"secret-inputs-marked-secret smtp-password",
			"stack-config-secrets ",
		}},
		// The secret config is right, but the program reads it with Require:
		// the stack config is fine, the task definition is not.
		{"secret config read plainly", true, true, []string{
			"container-secrets-not-in-environment api",
			"secret-inputs-marked-secret smtp-password",
		}},
	} {
		for _, mode := range []hardeningtest.Mode{hardeningtest.Preview, hardeningtest.Update} {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				opts := hardeningtest.Options{Mode: mode}
				if c.secretCfg {
					opts.SecretConfig = map[string]string{"project:licenseKey": licenseKey}
				} else {
					opts.Config = map[string]string{"project:licenseKey": licenseKey}
				}
				res, err := hardeningtest.Run(secretsProgram(c.plain), opts)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, g := range mandatory(res) {
					if strings.HasPrefix(g, "container-secrets") || strings.HasPrefix(g, "secret-inputs") ||
						strings.HasPrefix(g, "stack-config-secrets") {
						got = append(got, g)
					}
				}
				if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
					t.Errorf("got %q\nwant %q\n%v", got, c.want, res.Findings)
				}
				for _, f := range res.Findings {
					for _, s := range []string{licenseKey, dbPassword} {
						if strings.Contains(f.Message, s) {
							t.Errorf("secret %q in %v", s, f)
						}
					}
				}
			})
		}
	}
}
