package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"trustmark"
	"trustmark/calendar"
)

const calendarUsage = `usage: trustmark calendar load [--db DSN] [--title TITLE] FILE
       trustmark calendar list [--db DSN]

load reads the State Council's holiday notice of a later year (国务院办公厅
关于部分节假日安排的通知) from FILE, in either form of the data Trustmark
ships (data/reference/cn_holidays_2025_2026.json or .csv), and loads it
into the official calendar: deadlines in that year are counted on it and
no longer marked provisional. The CSV form has no title: give the notice's
title and number with --title. A year loaded before is replaced; the years
Trustmark ships are not. Every load is an event in the public log. A
running server counts on the new year once it restarts, or at once when the
national administrator loads it on the workbench (/work/calendar).

list shows the years of the calendar: shipped, loaded (by whom, when), and
the next year, provisional until its notice is loaded.

Flags:
`

// runCalendar is the calendar command.
func runCalendar(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	sub := map[string]func(context.Context, []string, io.Writer, io.Writer) int{"load": runCalendarLoad, "list": runCalendarList}
	if len(args) == 0 || sub[args[0]] == nil {
		fmt.Fprint(stderr, calendarUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return 0
		}
		return 1
	}
	return sub[args[0]](ctx, args[1:], stdout, stderr)
}

func runCalendarLoad(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("calendar load", calendarUsage, stderr)
	dsn := fs.String("db", "", dbFlagHelp)
	title := fs.String("title", "", "the notice's title and number (required for a CSV file)")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return fs.fail("give one notice file")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fs.fail("%v", err)
	}
	defer f.Close()
	ns, err := calendar.ReadNoticeFile(f, strings.TrimSpace(*title))
	if err != nil {
		return fs.fail("%s: %s", fs.Arg(0), cliMessage(err))
	}
	store, err := openRegistry(ctx, *dsn, stderr)
	if err != nil {
		return fs.fail("%v", err)
	}
	defer store.Close()
	// The operator's import, by file name, as trustmark import records it.
	actor := trustmark.Party{Kind: trustmark.PartyImport, ID: filepath.Base(fs.Arg(0))}
	if err := store.LoadNotices(ctx, actor, ns); err != nil {
		return fs.fail("%s: %s", fs.Arg(0), cliMessage(err))
	}
	for _, n := range ns {
		fmt.Fprintf(stdout, "loaded %d: %s (%d holidays, %d adjusted working days)\n", n.Year, n.Title, len(n.Holidays), len(n.Workdays))
	}
	return 0
}

func runCalendarList(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("calendar list", calendarUsage, stderr)
	dsn := fs.String("db", "", dbFlagHelp)
	if code, ok := fs.parse(args); !ok {
		return code
	}
	store, err := openRegistry(ctx, *dsn, stderr)
	if err != nil {
		return fs.fail("%v", err)
	}
	defer store.Close()
	loaded, err := store.LoadedNotices(ctx)
	if err != nil {
		return fs.fail("%s", cliMessage(err))
	}
	for _, y := range calendar.Years(calendar.Official(), loaded, time.Now().Year()) {
		switch {
		case y.Shipped:
			fmt.Fprintf(stdout, "%d  shipped  %s\n", y.Year, y.Title)
		case y.Loaded != nil:
			fmt.Fprintf(stdout, "%d  loaded   %s (by %s, %s)\n", y.Year, y.Title, y.Loaded.By, y.Loaded.At.UTC().Format("2006-01-02 15:04 UTC"))
		case y.Provisional():
			fmt.Fprintf(stdout, "%d  provisional: no notice loaded, counted by weekends alone\n", y.Year)
		}
	}
	return 0
}
