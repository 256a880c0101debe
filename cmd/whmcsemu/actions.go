package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/whmcsemu/whmcsemu/actions"
)

// actions prints every documented WHMCS action with its state. With
// --markdown it prints the action table of docs/compatibility.md, which a
// test keeps in step with the code.
func (m *Main) actions(args []string) int {
	markdown := false
	for _, a := range args {
		switch a {
		case "--markdown", "-markdown":
			markdown = true
		case "--help", "-help", "-h":
			fmt.Fprint(m.Stdout, "whmcsemu actions [--markdown]\n\nLists WHMCS's 162 documented API actions by category, each emulated or not yet.\n")
			return 0
		default:
			fmt.Fprintf(m.Stderr, "whmcsemu: actions: unexpected argument %q\n", a)
			return 2
		}
	}
	if markdown {
		writeActionsMarkdown(m.Stdout)
		return 0
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CATEGORY\tACTION\tSTATE")
	emulated, total := 0, 0
	for _, e := range actions.Catalog() {
		total++
		state := "not yet"
		if e.Emulated {
			state, emulated = "emulated", emulated+1
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Category, e.Name, state)
	}
	tw.Flush()
	fmt.Fprintf(m.Stdout, "\n%d of %d documented actions emulated\n", emulated, total)
	return 0
}

// writeActionsMarkdown writes one table row per category: the emulated
// actions, then the others.
func writeActionsMarkdown(w io.Writer) {
	type row struct{ done, todo []string }
	var order []string
	rows := map[string]*row{}
	emulated, total := 0, 0
	for _, e := range actions.Catalog() {
		r := rows[e.Category]
		if r == nil {
			r = &row{}
			rows[e.Category] = r
			order = append(order, e.Category)
		}
		total++
		if e.Emulated {
			emulated++
			r.done = append(r.done, "`"+e.Name+"`")
		} else {
			r.todo = append(r.todo, e.Name)
		}
	}
	fmt.Fprintf(w, "%d of %d documented actions are emulated.\n\n", emulated, total)
	fmt.Fprintln(w, "| category | emulated | not yet |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, c := range order {
		r := rows[c]
		fmt.Fprintf(w, "| %s | %s | %s |\n", c, orDash(strings.Join(r.done, ", ")), orDash(strings.Join(r.todo, ", ")))
	}
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
