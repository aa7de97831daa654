package storetest

// Placeholders for issue 8's conformance groups: each helper defines its
// group in its own file and deletes its line here.
var (
	auditChainTests []test // audit.go or auditchain.go
	purgeTests      []test // purge.go
	retentionTests  []test // retention.go
	rightsTests     []test // rights.go
	breachTests     []test // breaches.go
)
