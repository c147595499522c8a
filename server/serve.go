package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// maxMessageSize matches the engine's limit for plugin messages: a stack of
// 10,000 resources arrives in one AnalyzeStack request.
const maxMessageSize = 400 * 1024 * 1024

// Main runs the analyzer plugin for pack with the process's arguments and
// exits when done. It is the whole of a pack binary's main function.
func Main(pack *policy.Pack) {
	if err := Run(context.Background(), pack, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", pack.Name, err)
		os.Exit(1)
	}
}

// Run follows the plugin protocol: listen on a free loopback port, write the
// port and a newline to stdout, serve until the engine goes away (it kills
// the plugin when done; a plugin whose engine has vanished stops on its
// own), ctx ends, or SIGINT/SIGTERM arrives.
//
// The engine passes optional logging and tracing flags, then its own
// address. "--version" prints the pack's version instead.
func Run(ctx context.Context, pack *policy.Pack, args []string, stdout, stderr io.Writer) error {
	engine := ""
	for _, a := range args {
		switch {
		case a == "--version" || a == "-version":
			_, err := fmt.Fprintln(stdout, pack.Version)
			return err
		case strings.HasPrefix(a, "-"):
			// --logtostderr, -v=N, --tracing ADDR: the pack logs nothing
			// worth flowing, so they are accepted and ignored.
		default:
			engine = a
		}
	}

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listening: %w", err)
	}
	srv := grpc.NewServer(
		grpc.MaxRecvMsgSize(maxMessageSize),
		grpc.MaxSendMsgSize(maxMessageSize),
		grpc.ChainUnaryInterceptor(recoverInterceptor(stderr)),
	)
	pulumirpc.RegisterAnalyzerServer(srv, New(pack))

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if engine != "" {
		watchEngine(ctx, engine, stop)
	}
	go func() {
		<-ctx.Done()
		srv.Stop()
	}()

	if _, err := fmt.Fprintf(stdout, "%d\n", lis.Addr().(*net.TCPAddr).Port); err != nil {
		return fmt.Errorf("writing the port: %w", err)
	}
	if err := srv.Serve(lis); err != nil && err != grpc.ErrServerStopped {
		return fmt.Errorf("serving: %w", err)
	}
	return nil
}

// recoverInterceptor keeps the process alive when a request handler panics
// outside the policies (which the runner already guards): the call fails with
// an Internal error naming the method, and the pack goes on serving.
func recoverInterceptor(stderr io.Writer) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if x := recover(); x != nil {
				// Only a runtime error's text is shown: a panic value of the
				// pack's own could carry a property value, perhaps a secret.
				cause := fmt.Sprintf("internal error (%T)", x)
				if re, ok := x.(runtime.Error); ok {
					cause = re.Error()
				}
				fmt.Fprintf(stderr, "panic in %s: %s\n%s", info.FullMethod, cause, debug.Stack())
				err = status.Errorf(codes.Internal, "policy pack failed in %s: %s", info.FullMethod, cause)
			}
		}()
		return h(ctx, req)
	}
}

// engineCheckInterval is how often the pack asks whether the engine is alive;
// after engineMisses checks in a row find nothing listening, it stops.
var engineCheckInterval = 5 * time.Second

const engineMisses = 3

// watchEngine stops the server when the engine at addr stops answering
// health checks (nothing listens at its address), so a crashed engine leaves
// no orphaned pack behind. Any answer, even Unimplemented, counts as alive.
func watchEngine(ctx context.Context, addr string, stop func()) {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return
	}
	client := healthpb.NewHealthClient(conn)
	go func() {
		defer conn.Close()
		t := time.NewTicker(engineCheckInterval)
		defer t.Stop()
		misses := 0
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				cctx, cancel := context.WithTimeout(ctx, engineCheckInterval)
				_, err := client.Check(cctx, &healthpb.HealthCheckRequest{})
				cancel()
				if status.Code(err) != codes.Unavailable {
					misses = 0 // alive: answered, even if only "unimplemented"
					continue
				}
				if misses++; misses >= engineMisses && ctx.Err() == nil {
					stop()
					return
				}
			}
		}
	}()
}
