module github.com/whereto-bot/whereto

go 1.25.0

require (
	go.etcd.io/bbolt v1.5.0 // indirect
	golang.org/x/sys v0.45.0 // indirect
)
