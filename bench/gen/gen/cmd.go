package gen

// genCmd emits a server binary that binds the services of its deps.
func genCmd(p *pkg) []*file {
	f := newFile(p, "main.go")
	f.doc = packageDoc(p)
	r := f.restate()
	f.printf("func main() {\n\tsrv := %s.NewRestate()\n\tfor _, defs := range [][]%s.ServiceDefinition{\n",
		f.std("github.com/restatedev/sdk-go/server"), r)
	for _, d := range p.deps {
		f.printf("\t\t%sDefinitions(),\n", f.use(d))
	}
	f.printf(`	} {
		for _, def := range defs {
			srv.Bind(def)
		}
	}
	addr := ":9080"
	if port := %[1]s.Getenv("PORT"); port != "" {
		addr = ":" + port
	}
	%[2]s.Info("serving", "addr", addr)
	if err := srv.Start(%[3]s.Background(), addr); err != nil {
		%[2]s.Error("server stopped", "err", err)
		%[1]s.Exit(1)
	}
}
`, f.std("os"), f.std("log/slog"), f.std("context"))
	return []*file{f}
}
