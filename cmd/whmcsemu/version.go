package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/whmcsemu/whmcsemu"
)

// versionLine says which whmcsemu this is, for bug reports: the
// emulator's version, the module version the binary was built from (a tag
// with go install …@v1.2.3, "(devel)" from a checkout) and the commit,
// when the build recorded it.
func versionLine() string {
	var b strings.Builder
	fmt.Fprintf(&b, "whmcsemu %s", whmcsemu.Version)
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b.String()
	}
	fmt.Fprintf(&b, " (module %s %s", info.Main.Path, info.Main.Version)
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		fmt.Fprintf(&b, ", commit %s", rev)
		if t := settings["vcs.time"]; t != "" {
			fmt.Fprintf(&b, " of %s", t)
		}
		if settings["vcs.modified"] == "true" {
			b.WriteString(", with uncommitted changes")
		}
	}
	fmt.Fprintf(&b, ", %s)", info.GoVersion)
	return b.String()
}
