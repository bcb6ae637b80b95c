module github.com/whereto-bot/whereto

go 1.26.0

require go.etcd.io/bbolt v1.5.0

require (
	github.com/go-telegram-bot-api/telegram-bot-api/v5 v5.5.1 // indirect
	github.com/gorilla/websocket v1.5.3 // indirect
	github.com/kljensen/snowball v0.10.0 // indirect
	github.com/prometheus/client_golang v1.25.0 // indirect
	github.com/slack-go/slack v0.35.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
)
