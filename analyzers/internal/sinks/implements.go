package sinks

import (
	"go/types"
	"sync"
)

// Implemented returns the row that a call of m, a method of an interface
// declared outside the tables, stands for: a type of the tables satisfies
// the whole interface and its method of m's name is a row. It resolves
// the interfaces projects declare over their clients, such as sqlc's
//
//	type DBTX interface {
//		Exec(context.Context, string, ...interface{}) (pgconn.CommandTag, error)
//		Query(context.Context, string, ...interface{}) (pgx.Rows, error)
//		QueryRow(context.Context, string, ...interface{}) pgx.Row
//	}
//
// which *pgx.Conn, pgx.Tx and *pgxpool.Pool satisfy (and *sql.DB the
// database/sql flavour): a call of DBTX.QueryRow is a database call. pkg
// finds a package by import path among those the analyzed package can see
// (nil if none): a table type that is not loaded cannot be what the
// interface holds in this program's types.
// Only rows of rule are considered.
func Implemented(rule string, m *types.Func, pkg func(path string) *types.Package) *Sink {
	recv := m.Signature().Recv()
	if recv == nil {
		return nil
	}
	iface, ok := recv.Type().Underlying().(*types.Interface)
	if !ok || iface.NumMethods() == 0 {
		return nil
	}
	idx := methodRows()
	rows, ok := idx.byName[m.Name()]
	if !ok {
		rows = idx.every
	}
	for _, s := range rows {
		if s.Rule != rule {
			continue
		}
		p := pkg(s.Pkg)
		if p == nil {
			continue
		}
		tn, ok := p.Scope().Lookup(s.Recv).(*types.TypeName)
		if !ok {
			continue
		}
		t := tn.Type()
		if !types.IsInterface(t) {
			t = types.NewPointer(t)
		}
		if !types.Implements(t, iface) {
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(t, false, p, m.Name())
		if obj == nil {
			continue
		}
		if row := Lookup(obj); row != nil && row.Rule == rule {
			return row // maybe the row of an embedded type (go-redis's cmdable)
		}
	}
	return nil
}

// rowIndex lists the rows naming methods of a type by method name; rows
// for every method of a type are in every and appended to each name's
// list.
type rowIndex struct {
	byName map[string][]*Sink
	every  []*Sink
}

var methodRows = sync.OnceValue(func() rowIndex {
	buildIndex()
	byName := make(map[string][]*Sink)
	var every []*Sink
	for _, s := range Table {
		if s.Recv == "" || s.Construct != 0 || s.Param != "" || !packages[s.Pkg] {
			continue
		}
		if s.Names == nil {
			every = append(every, s)
			continue
		}
		for _, n := range s.Names {
			byName[n] = append(byName[n], s)
		}
	}
	for n := range byName {
		byName[n] = append(byName[n], every...)
	}
	return rowIndex{byName, every}
})
