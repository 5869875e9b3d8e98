package sinks

import (
	"go/types"
	"strings"
	"sync"

	"github.com/restatelint/restatelint/analyzers/internal/config"
)

// SideEffect is the name of the rule whose rows this file holds: external
// I/O (network, databases, files, the process environment, other
// processes, the Restate ingress) outside restate.Run. docs/rules/
// sideeffect.md lists these rows; TestDocs in analyzers/sideeffect keeps
// the two in step.
const SideEffect = "sideeffect"

// Families of the sideeffect rows, in the order the documentation lists
// them. The analyzer words its messages by family.
const (
	FamHTTP       = "net/http"
	FamNet        = "net: dials and DNS"
	FamSMTP       = "net/smtp"
	FamSQL        = "database/sql"
	FamFiles      = "files"
	FamEnv        = "process and environment"
	FamExec       = "os/exec"
	FamIngress    = "Restate ingress client"
	FamGRPC       = "gRPC"
	FamPgx        = "PostgreSQL: pgx"
	FamSQLLibs    = "SQL libraries: sqlx, gorm"
	FamRedis      = "Redis: go-redis"
	FamMongo      = "MongoDB"
	FamAWS        = "AWS SDK v2"
	FamGCP        = "Google Cloud"
	FamKafka      = "Kafka"
	FamNATS       = "NATS"
	FamAPIs       = "SaaS APIs: Stripe, SendGrid, Slack, Twilio, OpenAI-style"
	FamConfigured = "configured" // rows from the sideeffect.sinks option
)

func init() {
	io := func(fam, pkg, recv string, names ...string) *Sink {
		return &Sink{Rule: SideEffect, Family: fam, Pkg: pkg, Recv: recv, Names: names, Fix: "run"}
	}
	all := func(fam, pkg, recv string) *Sink { // every exported method of recv
		return &Sink{Rule: SideEffect, Family: fam, Pkg: pkg, Recv: recv, Fix: "run"}
	}
	noFix := func(s *Sink) *Sink { s.Fix = ""; return s }
	sqlQuery := []string{"Exec", "ExecContext", "Query", "QueryContext", "QueryRow", "QueryRowContext", "Prepare", "PrepareContext"}
	add(
		// net/http: clients. Building requests (NewRequest, Header.Set) is absent.
		io(FamHTTP, "net/http", "", "Get", "Head", "Post", "PostForm"),
		io(FamHTTP, "net/http", "Client", "Do", "Get", "Head", "Post", "PostForm"),
		io(FamHTTP, "net/http", "Transport", "RoundTrip"),
		io(FamHTTP, "net/http", "RoundTripper", "RoundTrip"),

		io(FamNet, "net", "", "Dial", "DialTimeout", "DialIP", "DialTCP", "DialUDP", "DialUnix",
			"Listen", "ListenPacket", "ListenIP", "ListenTCP", "ListenUDP", "ListenUnix", "ListenUnixgram", "ListenMulticastUDP",
			"LookupAddr", "LookupCNAME", "LookupHost", "LookupIP", "LookupMX", "LookupNS", "LookupPort", "LookupSRV", "LookupTXT",
			"Interfaces", "InterfaceAddrs", "InterfaceByIndex", "InterfaceByName"),
		io(FamNet, "net", "Dialer", "Dial", "DialContext"),
		all(FamNet, "net", "Resolver"),
		io(FamNet, "net", "ListenConfig", "Listen", "ListenPacket"),
		io(FamNet, "crypto/tls", "", "Dial", "DialWithDialer"),
		io(FamNet, "crypto/tls", "Dialer", "Dial", "DialContext"),
		io(FamNet, "net/rpc", "", "Dial", "DialHTTP", "DialHTTPPath"),
		io(FamNet, "net/rpc", "Client", "Call", "Go"),

		io(FamSMTP, "net/smtp", "", "SendMail", "Dial", "NewClient"),

		// database/sql: the statements; Rows and Row read what a reported
		// call fetched, Rollback and Close release it.
		io(FamSQL, "database/sql", "DB", append(sqlQuery, "Begin", "BeginTx", "Conn", "Ping", "PingContext")...),
		io(FamSQL, "database/sql", "Tx", append(sqlQuery, "Stmt", "StmtContext", "Commit")...),
		io(FamSQL, "database/sql", "Conn", "ExecContext", "QueryContext", "QueryRowContext", "PrepareContext", "BeginTx", "PingContext", "Raw"),
		io(FamSQL, "database/sql", "Stmt", "Exec", "ExecContext", "Query", "QueryContext", "QueryRow", "QueryRowContext"),

		// Files. Files embedded with embed (embed.FS) are absent.
		io(FamFiles, "os", "", "Open", "OpenFile", "OpenInRoot", "OpenRoot", "Create", "CreateTemp", "ReadFile", "WriteFile",
			"ReadDir", "Remove", "RemoveAll", "Rename", "Mkdir", "MkdirAll", "MkdirTemp", "Stat", "Lstat", "Chmod", "Chown",
			"Lchown", "Chtimes", "Link", "Symlink", "Readlink", "Truncate", "Chdir", "Getwd", "CopyFS"),
		// Reads and writes through an open file are I/O as the open is;
		// Close releases it. Writing to os.Stdout and os.Stderr is
		// logging. No fix: wrapping one write in restate.Run leaves the
		// open and the other writes outside it.
		&Sink{Rule: SideEffect, Family: FamFiles, Pkg: "os", Recv: "File", When: NotStdStream, Names: []string{
			"Read", "ReadAt", "ReadDir", "ReadFrom", "Readdir", "Readdirnames", "Write", "WriteAt", "WriteString",
			"WriteTo", "Sync", "Truncate", "Chmod", "Chown", "Chdir", "Stat"}},
		io(FamFiles, "io/ioutil", "", "ReadFile", "WriteFile", "ReadDir", "TempFile", "TempDir"),
		io(FamFiles, "path/filepath", "", "Walk", "WalkDir", "Glob", "EvalSymlinks", "Abs"),

		// The process and its environment: they differ between the
		// processes and deployments a replay may run on.
		io(FamEnv, "os", "", "Getenv", "LookupEnv", "Environ", "ExpandEnv", "Setenv", "Unsetenv", "Clearenv",
			"Hostname", "Getpid", "Getppid", "Getuid", "Geteuid", "Getgid", "Getegid", "Getgroups", "Executable",
			"UserHomeDir", "UserCacheDir", "UserConfigDir", "TempDir", "StartProcess", "FindProcess"),

		io(FamExec, "os/exec", "", "LookPath"),
		io(FamExec, "os/exec", "Cmd", "Run", "Output", "CombinedOutput", "Start"),

		// The SDK's ingress client: a call to Restate that bypasses the
		// journal (a handler calls other handlers with restate.Service, ...).
		// No fix: the remedy is a journaled call, which needs the target's
		// handler types.
		noFix(io(FamIngress, "github.com/restatedev/sdk-go/ingress", "Requester", "Request", "Send")),
		noFix(io(FamIngress, "github.com/restatedev/sdk-go/ingress", "SendRequester", "Send")),
		noFix(io(FamIngress, "github.com/restatedev/sdk-go/ingress", "InvocationHandle", "Attach", "Output")),
		noFix(io(FamIngress, "github.com/restatedev/sdk-go/internal/ingress", "Client", "Request", "Send", "Attach", "Output")),

		// gRPC: the connection, and generated clients, structurally.
		io(FamGRPC, "google.golang.org/grpc", "ClientConn", "Invoke", "NewStream"),
		io(FamGRPC, "google.golang.org/grpc", "ClientConnInterface", "Invoke", "NewStream"),
		io(FamGRPC, "google.golang.org/grpc", "", "Invoke"),
		&Sink{Rule: SideEffect, Family: FamGRPC, Pkg: "google.golang.org/grpc", Param: "CallOption", Fix: "run"},
		&Sink{Rule: SideEffect, Family: FamGCP, Pkg: "github.com/googleapis/gax-go/v2", Param: "CallOption", Fix: "run"},
		io(FamGRPC, "connectrpc.com/connect", "Client", "CallUnary", "CallClientStream", "CallServerStream", "CallBidiStream"),
	)

	pgxQuery := []string{"Exec", "Query", "QueryRow", "SendBatch", "CopyFrom", "Begin", "BeginTx", "Ping"}
	for _, v := range []string{"github.com/jackc/pgx/v4", "github.com/jackc/pgx/v5"} {
		add(
			io(FamPgx, v, "", "Connect", "ConnectConfig", "ConnectWithOptions", "BeginFunc", "BeginTxFunc"),
			io(FamPgx, v, "Conn", append(pgxQuery, "Prepare", "Deallocate", "DeallocateAll", "LoadType", "LoadTypes", "WaitForNotification")...),
			io(FamPgx, v, "Tx", "Exec", "Query", "QueryRow", "SendBatch", "CopyFrom", "Begin", "Prepare", "Commit"),
			io(FamPgx, v+"/pgxpool", "", "New", "NewWithConfig", "Connect", "ConnectConfig"),
			io(FamPgx, v+"/pgxpool", "Pool", append(pgxQuery, "Acquire", "AcquireFunc", "AcquireAllIdle")...),
			io(FamPgx, v+"/pgxpool", "Conn", pgxQuery...),
			io(FamPgx, v+"/pgxpool", "Tx", "Exec", "Query", "QueryRow", "SendBatch", "CopyFrom", "Begin", "Prepare", "Commit"),
		)
	}
	add(
		io(FamPgx, "github.com/jackc/pgx/v5/pgconn", "", "Connect", "ConnectConfig"),
		io(FamPgx, "github.com/jackc/pgx/v5/pgconn", "PgConn", "Exec", "ExecParams", "ExecPrepared", "ExecBatch", "Prepare",
			"CopyFrom", "CopyTo", "Ping", "WaitForNotification"),
	)

	sqlx := []string{"Get", "GetContext", "Select", "SelectContext", "NamedExec", "NamedExecContext", "NamedQuery",
		"NamedQueryContext", "MustExec", "MustExecContext", "Queryx", "QueryxContext", "QueryRowx", "QueryRowxContext",
		"Preparex", "PreparexContext", "PrepareNamed", "PrepareNamedContext"}
	add(
		io(FamSQLLibs, "github.com/jmoiron/sqlx", "", "Connect", "ConnectContext", "MustConnect", "Get", "GetContext", "Select",
			"SelectContext", "NamedExec", "NamedExecContext", "NamedQuery", "NamedQueryContext"),
		io(FamSQLLibs, "github.com/jmoiron/sqlx", "DB", append(sqlx, "Beginx", "BeginTxx", "MustBegin", "MustBeginTx", "Connx")...),
		io(FamSQLLibs, "github.com/jmoiron/sqlx", "Tx", append(sqlx, "Commit")...),
		io(FamSQLLibs, "gorm.io/gorm", "DB", "Create", "CreateInBatches", "Save", "First", "Last", "Take", "Find", "FindInBatches",
			"FirstOrInit", "FirstOrCreate", "Update", "Updates", "UpdateColumn", "UpdateColumns", "Delete", "Count", "Row", "Rows",
			"Scan", "Pluck", "Exec", "Transaction", "Begin", "Commit"),
	)

	// go-redis: commands are methods of the unexported cmdable types that
	// Client, ClusterClient, Ring, Conn and Tx embed, and of the Cmdable
	// interfaces.
	for _, v := range []string{"github.com/redis/go-redis/v9", "github.com/go-redis/redis/v8"} {
		add(
			all(FamRedis, v, "cmdable"),
			all(FamRedis, v, "statefulCmdable"),
			all(FamRedis, v, "Cmdable"),
			all(FamRedis, v, "StatefulCmdable"),
			io(FamRedis, v, "Client", "Do", "Process", "Pipelined", "TxPipelined", "Watch", "Subscribe", "PSubscribe", "SSubscribe"),
			io(FamRedis, v, "ClusterClient", "Do", "Process", "Pipelined", "TxPipelined", "Watch", "Subscribe", "PSubscribe",
				"SSubscribe", "ForEachMaster", "ForEachSlave", "ForEachShard"),
			io(FamRedis, v, "Ring", "Do", "Process", "Pipelined", "TxPipelined", "Watch", "Subscribe", "PSubscribe", "ForEachShard"),
			io(FamRedis, v, "UniversalClient", "Do", "Process", "Pipelined", "TxPipelined", "Watch", "Subscribe", "PSubscribe", "SSubscribe"),
			io(FamRedis, v, "Pipeliner", "Exec", "Do", "Process"),
		)
	}

	mongoColl := []string{"Aggregate", "BulkWrite", "CountDocuments", "DeleteMany", "DeleteOne", "Distinct", "Drop",
		"EstimatedDocumentCount", "Find", "FindOne", "FindOneAndDelete", "FindOneAndReplace", "FindOneAndUpdate",
		"InsertMany", "InsertOne", "ReplaceOne", "UpdateByID", "UpdateMany", "UpdateOne", "Watch"}
	for _, v := range []string{"go.mongodb.org/mongo-driver/mongo", "go.mongodb.org/mongo-driver/v2/mongo"} {
		add(
			io(FamMongo, v, "", "Connect", "NewClient"),
			io(FamMongo, v, "Client", "Connect", "Ping", "ListDatabases", "ListDatabaseNames", "StartSession", "UseSession",
				"UseSessionWithOptions", "Watch"),
			io(FamMongo, v, "Database", "Aggregate", "CreateCollection", "CreateView", "Drop", "ListCollections",
				"ListCollectionNames", "ListCollectionSpecifications", "RunCommand", "RunCommandCursor", "Watch"),
			io(FamMongo, v, "Collection", mongoColl...),
		)
	}

	add(
		// AWS SDK v2: every service client's API methods; configuration
		// loading reads the environment and shared files.
		all(FamAWS, "github.com/aws/aws-sdk-go-v2/service/...", "Client"),
		io(FamEnv, "github.com/aws/aws-sdk-go-v2/config", "", "LoadDefaultConfig", "LoadSharedConfigProfile"),
		io(FamAWS, "github.com/aws/aws-sdk-go-v2/feature/s3/manager", "Uploader", "Upload"),
		io(FamAWS, "github.com/aws/aws-sdk-go-v2/feature/s3/manager", "Downloader", "Download"),

		// Google Cloud: generated clients take ...gax.CallOption (above);
		// the hand-written ones are listed.
		io(FamGCP, "cloud.google.com/go/storage", "", "NewClient"),
		io(FamGCP, "cloud.google.com/go/storage", "ObjectHandle", "Attrs", "Delete", "NewReader", "NewRangeReader", "NewWriter", "Update"),
		io(FamGCP, "cloud.google.com/go/storage", "BucketHandle", "Attrs", "Create", "Delete", "Update"),
		io(FamGCP, "cloud.google.com/go/pubsub", "", "NewClient"),
		io(FamGCP, "cloud.google.com/go/pubsub", "Topic", "Publish", "Exists", "Config"),
		io(FamGCP, "cloud.google.com/go/pubsub", "Subscription", "Receive", "Exists", "Config"),
		io(FamGCP, "cloud.google.com/go/pubsub", "PublishResult", "Get"),
		io(FamGCP, "cloud.google.com/go/firestore", "", "NewClient"),
		io(FamGCP, "cloud.google.com/go/firestore", "DocumentRef", "Create", "Delete", "Get", "Set", "Update"),
		io(FamGCP, "cloud.google.com/go/firestore", "CollectionRef", "Add"),
		io(FamGCP, "cloud.google.com/go/firestore", "Query", "Documents"),
		io(FamGCP, "cloud.google.com/go/firestore", "Client", "GetAll", "RunTransaction"),
		io(FamGCP, "cloud.google.com/go/firestore", "WriteBatch", "Commit"),
		io(FamGCP, "cloud.google.com/go/spanner", "Client", "Apply", "ReadWriteTransaction"),
		io(FamGCP, "cloud.google.com/go/bigquery", "Query", "Read", "Run"),
		io(FamGCP, "cloud.google.com/go/bigquery", "Inserter", "Put"),

		io(FamKafka, "github.com/segmentio/kafka-go", "", "Dial", "DialContext", "DialLeader", "DialPartition"),
		io(FamKafka, "github.com/segmentio/kafka-go", "Writer", "WriteMessages"),
		io(FamKafka, "github.com/segmentio/kafka-go", "Reader", "ReadMessage", "FetchMessage", "CommitMessages"),
		io(FamKafka, "github.com/segmentio/kafka-go", "Conn", "WriteMessages", "ReadMessage", "ReadBatch"),
	)
	for _, p := range []string{"github.com/IBM/sarama", "github.com/Shopify/sarama"} {
		add(
			io(FamKafka, p, "", "NewSyncProducer", "NewAsyncProducer", "NewClient", "NewConsumer", "NewConsumerGroup"),
			io(FamKafka, p, "SyncProducer", "SendMessage", "SendMessages"),
			io(FamKafka, p, "ConsumerGroup", "Consume"),
		)
	}
	for _, p := range []string{"github.com/confluentinc/confluent-kafka-go/kafka", "github.com/confluentinc/confluent-kafka-go/v2/kafka"} {
		add(
			io(FamKafka, p, "", "NewProducer", "NewConsumer"),
			io(FamKafka, p, "Producer", "Produce", "Flush"),
			io(FamKafka, p, "Consumer", "ReadMessage", "Poll", "Commit", "CommitMessage", "CommitOffsets", "Subscribe"),
		)
	}
	add(
		io(FamNATS, "github.com/nats-io/nats.go", "", "Connect"),
		io(FamNATS, "github.com/nats-io/nats.go", "Conn", "Publish", "PublishMsg", "PublishRequest", "Request", "RequestMsg",
			"RequestWithContext", "RequestMsgWithContext", "Flush", "FlushTimeout", "FlushWithContext", "Subscribe",
			"SubscribeSync", "QueueSubscribe", "QueueSubscribeSync", "ChanSubscribe"),
		io(FamNATS, "github.com/nats-io/nats.go", "EncodedConn", "Publish", "Request", "Subscribe"),
		io(FamNATS, "github.com/nats-io/nats.go", "JetStreamContext", "Publish", "PublishMsg", "PublishAsync", "PublishMsgAsync"),
		io(FamNATS, "github.com/nats-io/nats.go/jetstream", "JetStream", "Publish", "PublishMsg", "PublishAsync", "PublishMsgAsync"),

		// stripe-go: resource packages' functions (charge.New,
		// paymentintent.Confirm, ...) and their Client methods; its
		// client.New constructor returns no error and is not matched.
		&Sink{Rule: SideEffect, Family: FamAPIs, Pkg: "github.com/stripe/stripe-go/...", When: ReturnsError, Fix: "run",
			Names: []string{"New", "Get", "Update", "Del", "List", "Search", "Cancel", "Capture", "Confirm", "Close", "Pay",
				"Finalize", "Void", "Attach", "Detach", "Reverse", "Approve", "Decline", "Expire", "Retrieve"}},
		&Sink{Rule: SideEffect, Family: FamAPIs, Pkg: "github.com/stripe/stripe-go/...", Recv: "Client", When: ReturnsError, Fix: "run",
			Names: []string{"New", "Get", "Update", "Del", "List", "Search", "Cancel", "Capture", "Confirm", "Close", "Pay",
				"Finalize", "Void", "Attach", "Detach", "Reverse", "Approve", "Decline", "Expire", "Retrieve"}},
		io(FamAPIs, "github.com/sendgrid/sendgrid-go", "Client", "Send", "SendWithContext"),
		io(FamAPIs, "github.com/sendgrid/sendgrid-go", "", "API", "MakeRequest", "MakeRequestRetry", "MakeRequestAsync", "MakeRequestRetryWithContext"),
		io(FamAPIs, "github.com/sendgrid/rest", "", "Send", "SendWithContext", "API", "MakeRequest"),
		io(FamAPIs, "github.com/slack-go/slack", "", "PostWebhook", "PostWebhookContext", "PostWebhookCustomHTTP"),
		&Sink{Rule: SideEffect, Family: FamAPIs, Pkg: "github.com/slack-go/slack", Recv: "Client", When: ReturnsError, Fix: "run"},
		all(FamAPIs, "github.com/twilio/twilio-go/rest/...", "ApiService"),
		all(FamAPIs, "github.com/sashabaranov/go-openai", "Client"),
		io(FamAPIs, "github.com/openai/openai-go/...", "ChatCompletionService", "New", "NewStreaming"),
		io(FamAPIs, "github.com/openai/openai-go/...", "CompletionService", "New", "NewStreaming"),
		io(FamAPIs, "github.com/openai/openai-go/...", "EmbeddingService", "New"),
		io(FamAPIs, "github.com/openai/openai-go/...", "ResponseService", "New", "NewStreaming", "Get"),
		io(FamAPIs, "github.com/anthropics/anthropic-sdk-go/...", "MessageService", "New", "NewStreaming", "CountTokens"),
	)
}

// configured is the row of the functions listed in the sideeffect.sinks
// option.
var configured = &Sink{Rule: SideEffect, Family: FamConfigured, Fix: "run"}

var (
	prefixRows []*Sink // rows whose Pkg ends in "/..."
	shapeRows  []*Sink // rows with Param
)

var buildMore = sync.OnceFunc(func() {
	for _, s := range Table {
		switch {
		case s.Construct != 0:
		case s.Param != "":
			shapeRows = append(shapeRows, s)
		case strings.HasSuffix(s.Pkg, "/..."):
			prefixRows = append(prefixRows, s)
		}
	}
})

// lookupMore matches obj against the rows that are not keyed by an exact
// package path: prefix rows, structural rows, and the sideeffect.sinks
// option.
func lookupMore(set *config.Settings, obj types.Object) *Sink {
	recv, ok := objKey(obj)
	if !ok {
		return nil
	}
	buildMore()
	path, name := obj.Pkg().Path(), obj.Name()
	for _, s := range prefixRows {
		if !strings.HasPrefix(path, strings.TrimSuffix(s.Pkg, "...")) || s.Recv != recv {
			continue
		}
		if s.Names == nil && obj.Exported() || contains(s.Names, name) {
			return s
		}
	}
	if fn, ok := obj.(*types.Func); ok && len(shapeRows) > 0 {
		if s := shapeOf(fn); s != nil {
			return s
		}
	}
	if sinksOf(set).Match(path, recv, name) {
		return configured
	}
	return nil
}

// shapeOf returns the structural row whose variadic parameter type fn's
// last parameter has.
func shapeOf(fn *types.Func) *Sink {
	sig := fn.Signature()
	if !sig.Variadic() {
		return nil
	}
	last, ok := sig.Params().At(sig.Params().Len() - 1).Type().(*types.Slice)
	if !ok {
		return nil
	}
	n, ok := types.Unalias(last.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return nil
	}
	for _, s := range shapeRows {
		if n.Obj().Name() == s.Param && n.Obj().Pkg().Path() == s.Pkg {
			return s
		}
	}
	return nil
}

// objKey returns the receiver type name of a method ("" for a
// package-level function or variable); ok is false for other objects
// (fields, locals, methods of unnamed types).
func objKey(obj types.Object) (recv string, ok bool) {
	switch obj := obj.(type) {
	case *types.Func:
		if r := obj.Origin().Signature().Recv(); r != nil {
			recv = typeName(r.Type())
			return recv, recv != ""
		}
		return "", true
	case *types.Var:
		return "", !obj.IsField() && obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope()
	}
	return "", false
}

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// Allowed reports whether the sideeffect.allow option lists obj.
func Allowed(obj types.Object) bool { return AllowedIn(nil, obj) }

// AllowedIn reports whether set's sideeffect.allow lists obj (nil: the
// driver's option).
func AllowedIn(set *config.Settings, obj types.Object) bool {
	recv, ok := objKey(obj)
	allow := &config.Allow
	if set != nil {
		allow = set.Allow
	}
	return ok && allow.Match(obj.Pkg().Path(), recv, obj.Name())
}

// sinksOf is set's sideeffect.sinks (nil: the driver's option).
func sinksOf(set *config.Settings) *config.FuncList {
	if set != nil {
		return set.Sinks
	}
	return &config.ExtraSinks
}

// quietPkgs are packages (and the packages below them) whose functions
// and methods take a context.Context without performing I/O a handler
// must journal: logging, tracing and metrics, synchronization, and the
// Restate SDK itself (its operations are journaled; its ingress client
// has rows above).
var quietPkgs = []string{
	"github.com/restatedev/sdk-go",
	"log", "log/slog", "go.uber.org/zap", "github.com/rs/zerolog", "github.com/sirupsen/logrus", "github.com/go-logr/logr",
	"go.opentelemetry.io/otel", "go.opentelemetry.io/contrib", "go.opencensus.io", "github.com/opentracing/opentracing-go",
	"gopkg.in/DataDog/dd-trace-go.v1/ddtrace", "github.com/DataDog/dd-trace-go/v2/ddtrace", "github.com/getsentry/sentry-go",
	"github.com/prometheus/client_golang",
	"golang.org/x/sync", "golang.org/x/time/rate", "github.com/cenkalti/backoff",
	"google.golang.org/grpc/metadata", "google.golang.org/grpc/peer",
}

// quietFuncs are functions and methods of client libraries that take a
// context.Context but only configure a handle or release what a reported
// call acquired.
var quietFuncs = []config.FuncRef{
	{Pkg: "gorm.io/gorm", Recv: "DB", Name: "WithContext"},
	{Pkg: "github.com/jackc/pgx/v5", Recv: "Tx", Name: "Rollback"},
	{Pkg: "github.com/jackc/pgx/v4", Recv: "Tx", Name: "Rollback"},
	{Pkg: "github.com/jackc/pgx/v5", Recv: "Rows", Name: "Close"},
	{Pkg: "github.com/jackc/pgx/v5/pgxpool", Recv: "Tx", Name: "Rollback"},
	{Pkg: "github.com/jackc/pgx/v4/pgxpool", Recv: "Tx", Name: "Rollback"},
	{Pkg: "go.mongodb.org/mongo-driver/mongo", Recv: "Cursor", Name: "Close"},
	{Pkg: "go.mongodb.org/mongo-driver/v2/mongo", Recv: "Cursor", Name: "Close"},
	{Pkg: "golang.org/x/oauth2", Recv: "Config", Name: "Client"},
	{Pkg: "golang.org/x/oauth2", Name: "NewClient"},
}

// QuietPackages returns quietPkgs, for documentation.
func QuietPackages() []string { return quietPkgs }

// QuietFuncs returns quietFuncs, for documentation.
func QuietFuncs() []config.FuncRef { return quietFuncs }

var quietFuncIndex = sync.OnceValue(func() *config.FuncList {
	l := new(config.FuncList)
	l.SetRefs(quietFuncs)
	return l
})

// NotIO reports whether a call of obj (a function, a method, or a variable
// holding a function) that receives a context.Context and whose body
// cannot be seen is known not to perform I/O a handler must journal: it
// belongs to a quiet package (logging, tracing, metrics, synchronization,
// the Restate SDK), is a quiet function (a handle's configuration or
// release), derives a context or reads a value from one (it returns a
// context.Context, or its name contains FromContext,
// FromIncomingContext or FromOutgoingContext), or the sideeffect.allow
// option lists it.
func NotIO(obj types.Object) bool {
	if obj.Pkg() != nil {
		path := obj.Pkg().Path()
		for _, p := range quietPkgs {
			if path == p || strings.HasPrefix(path, p) && path[len(p)] == '/' {
				return true
			}
		}
		if recv, ok := objKey(obj); ok && quietFuncIndex().Match(path, recv, obj.Name()) {
			return true
		}
		if Allowed(obj) {
			return true
		}
	}
	name := obj.Name()
	if strings.Contains(name, "FromContext") || strings.Contains(name, "FromIncomingContext") || strings.Contains(name, "FromOutgoingContext") {
		return true
	}
	sig, ok := obj.Type().Underlying().(*types.Signature)
	if !ok {
		return false
	}
	for i := 0; i < sig.Results().Len(); i++ {
		if IsContext(sig.Results().At(i).Type()) {
			return true
		}
	}
	return false
}

// IsContext reports whether t is context.Context.
func IsContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == "Context" && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context"
}

// lesser ranks the sideeffect families a message should name only when a
// function reaches nothing more significant: a handler that resolves a
// path and then queries a database is reported for the query. Families
// not listed rank 0, the most significant.
var lesser = map[string]int{
	FamFiles: 1, // file reads and writes, path resolution (filepath.Abs)
	FamEnv:   2, // the process's surroundings: environment, host name, pid
}

// Rank orders sink families for messages: lower is more significant.
func Rank(family string) int { return lesser[family] }
