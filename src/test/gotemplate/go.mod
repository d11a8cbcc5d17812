module arkonis.dev/ark/gotemplate

go 1.26
