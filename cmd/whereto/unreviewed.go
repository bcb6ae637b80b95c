package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows/lang"
)

// listUnreviewed prints the translations that need a native speaker's
// review: the bot's own words (the message catalogues, flows/lang) and
// the directory's (its routes', menu groups', services' and the
// partnership's translations), in language l or all of them ("").
func listUnreviewed(w io.Writer, d *directory.Directory, from string, l lang.Lang) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	reviews := lang.Reviews(l)
	fmt.Fprintf(tw, "The bot's words (flows/lang): %d to review\n", len(reviews))
	if len(reviews) > 0 {
		fmt.Fprintln(tw, "lang\tkey\treason\tEnglish\ttranslation")
	}
	for _, r := range reviews {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Lang, r.Key, r.Reason, oneLine(r.English), oneLine(r.Text))
	}
	var rows []directory.UnreviewedTranslation
	for _, r := range d.UnreviewedTranslations() {
		if l == "" || r.Lang == string(l) {
			rows = append(rows, r)
		}
	}
	fmt.Fprintf(tw, "\nThe directory's words (%s): %d to review\n", from, len(rows))
	if len(rows) > 0 {
		fmt.Fprintln(tw, "lang\twhat\tid")
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Lang, r.What, r.ID)
	}
	if len(reviews)+len(rows) > 0 {
		fmt.Fprintln(tw, "\nTo mark one reviewed, a reader who speaks the language changes its description from UNREVIEWED to who reviewed it and when (flows/lang/CODE.toml), or sets \"reviewed\": true (the directory); see docs/LANGUAGES.md.")
	}
	return tw.Flush()
}

// oneLine shortens text to one line of at most 60 characters for a table.
func oneLine(s string) string {
	r := []rune(s)
	for i, c := range r {
		if c == '\n' || c == '\t' {
			r[i] = ' '
		}
	}
	if len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return string(r)
}
