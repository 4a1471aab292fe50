" Vim syntax for perwal rulesets (docs/dsl.md).
if exists("b:current_syntax") | finish | endif
syn match   perwalComment "\(#\|//\).*$"
syn region  perwalString start=+"+ skip=+\\.+ end=+"+
syn keyword perwalDecl ruleset include allow because codes define scope kedudukan rule report workflow step refusal refine override example
syn keyword perwalClause for on as when require under level review mode issuer by from to cc contents where optional reason required strength org query expect violation warning next
syn keyword perwalStrength wajib dilarang boleh diutamakan
syn keyword perwalCite cite quote
syn keyword perwalOp and or not in is null
syn keyword perwalConst true false allowed denied incomplete draft enacted
hi def link perwalComment Comment
hi def link perwalString String
hi def link perwalDecl Statement
hi def link perwalClause Keyword
hi def link perwalStrength Type
hi def link perwalCite Special
hi def link perwalOp Operator
hi def link perwalConst Constant
let b:current_syntax = "perwal"
