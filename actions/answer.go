package actions

// success opens every successful answer: "result":"success". Response
// structs embed it first; its zero value is filled in by Action.Run when
// the handler returns without error, so a handler cannot forget it and
// never spells it.
type success struct {
	Result string `json:"result"`
}

func (s *success) succeed() { s.Result = "success" }

// succeeder is a response embedding success.
type succeeder interface{ succeed() }

// resultOnly is an answer with nothing but result.
type resultOnly struct {
	success
}
