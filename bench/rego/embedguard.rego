# embedguard's two seed matrices (RULES.md "The seed matrices") as Rego: the peer that
# bench/run times against embedguard. Written as an OPA user would write it for a gateway: the
# tenant facts as `data.tenant` (shaped for lookups by bench/src/peer.rs, once), the request
# description as `input`, and one entry point, `codes`, the set of rule codes that fire.
#
#   workspace matrix  EG101 my-workspace, EG102 v2-classic-workspace, EG103 classic-cross-workspace,
#                     EG104 classic-service-principal, EG105 classic-requires-admin,
#                     EG106 caller-not-member, EG110 paginated-classic
#   RLS matrix        EG301 rls-identity-required, EG302 rls-unfiltered, EG303 identity-without-rls,
#                     EG304 rdl-master-user, EG305 as-onprem-permission,
#                     EG306 aas-username-not-caller, EG307 sso-identity-required,
#                     EG308 sso-cloud-incomplete, EG309 roles-required
#
# It mirrors crates/core/src/{endpoint.rs,context.rs} (which endpoint, which reports, datasets
# and workspaces a request covers) and crates/core/src/rules/{workspace,identity}/. What it does
# not mirror: body keys in another letter case (`AccessLevel`) — Rego sees the JSON as parsed,
# keys case-sensitive (SPEC §1.3), which is one reason embedguard reads bodies itself.
# tests/equivalence.rs proves that it fires the same codes as embedguard on every fixture request.
#
# Written for regorus's speed without giving up clarity: in regorus 0.14 every rule and every
# user function evaluated costs about 4–5 µs and a `regex.match` about 6 µs (measured on the
# benchmark machine), a builtin about 1 µs. So what is shared is computed once per evaluation
# in a rule (`coverage`, the request's datasets and workspaces), the path is matched by array
# unification, and a condition that is cheap and usually false comes first.

package embedguard

import rego.v1

t := data.tenant

req := input.requests[0]

# ---------------------------------------------------------------------------------------------
# Ids: GUIDs compare ignoring case and braces; names as written (trimmed). A GUID is never a
# template placeholder (`${…}`, `{{…}}`), so "a GUID" is also "an id that can be looked up".

guid_re := `^(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$`

norm(s) := lower(trim(x, "{}")) if {
	x := trim_space(s)
	regex.match(guid_re, x)
} else := trim_space(s)

placeholder(s) if {
	contains(s, "${")
	contains(s, "}")
}

placeholder(s) if {
	contains(s, "{{")
	contains(s, "}}")
}

has_key(o, k) if _ = o[k]

# ---------------------------------------------------------------------------------------------
# The endpoint, from the method and the path or URL.

target := req.path if is_string(req.path)

target := req.url if {
	is_string(req.url)
	not has_key(req, "path")
}

method := req.method if {
	is_string(req.method)
} else := "POST"

api_hosts := {"api.powerbi.com", "api.powerbigov.us", "api.high.powerbigov.us", "api.mil.powerbigov.us", "api.powerbi.cn"}

# A bare path, or the path of an https URL to a Power BI API host; query and fragment dropped.
path := split(split(p, "?")[0], "#")[0] if {
	x := trim_space(target)
	scheme := lower(substring(x, 0, 8))
	p := url_path(x, scheme)
}

url_path(x, scheme) := x if {
	not startswith(scheme, "https://")
	not startswith(scheme, "http://")
}

url_path(x, "https://") := concat("/", array.concat([""], array.slice(parts, 1, count(parts)))) if {
	parts := split(substring(x, 8, -1), "/")
	trim_suffix(lower(parts[0]), ":443") in api_hosts
}

segments := [s | some s in split(path, "/"); s != ""]

low := [lower(s) | some s in segments]

endpoint := {"kind": "V2"} if {
	low == ["v1.0", "myorg", "generatetoken"]
	method == "POST"
}

endpoint := {"kind": "REPORT", "group": segments[3], "report": segments[5]} if {
	["v1.0", "myorg", "groups", _, "reports", _, "generatetoken"] = low
	method == "POST"
}

endpoint := {"kind": "CREATE", "group": segments[3]} if {
	["v1.0", "myorg", "groups", _, "reports", "generatetoken"] = low
	method == "POST"
}

endpoint := {"kind": "DATASET", "group": segments[3], "dataset": segments[5]} if {
	["v1.0", "myorg", "groups", _, "datasets", _, "generatetoken"] = low
	method == "POST"
}

endpoint := {"kind": "DASHBOARD", "group": segments[3], "dashboard": segments[5]} if {
	["v1.0", "myorg", "groups", _, "dashboards", _, "generatetoken"] = low
	method == "POST"
}

endpoint := {"kind": "TILE", "group": segments[3], "dashboard": segments[5], "tile": segments[7]} if {
	["v1.0", "myorg", "groups", _, "dashboards", _, "tiles", _, "generatetoken"] = low
	method == "POST"
}

# The GenerateToken paths without groups/{id}, removed in 2019 (any method).
my_workspace if low == ["v1.0", "myorg", "reports", "generatetoken"]

my_workspace if ["v1.0", "myorg", "reports", _, "generatetoken"] = low

my_workspace if ["v1.0", "myorg", "dashboards", _, "generatetoken"] = low

my_workspace if ["v1.0", "myorg", "dashboards", _, "tiles", _, "generatetoken"] = low

# ---------------------------------------------------------------------------------------------
# The body, the caller.

body := req.body if {
	endpoint
	is_object(req.body)
}

v2 if endpoint.kind == "V2"

identities := [i | some i in body.identities; is_object(i)] if {
	is_array(body.identities)
} else := []

caller_key := t.index.principal[norm(req.caller)] if is_string(req.caller)

caller := t.principals[caller_key]

is_sp if caller.kind == "service_principal"

is_mu if caller.kind == "master_user"

# ---------------------------------------------------------------------------------------------
# What the request covers: reports, datasets, workspaces, and item → dataset workspace pairs.

group := t.index.workspace[norm(endpoint.group)] if regex.match(guid_re, endpoint.group)

# The item of a V1 path, when it is in the path's workspace (or its workspace is unknown).
path_item(kind, key, table) := k if {
	endpoint.kind == kind
	is_string(group)
	id := endpoint[key]
	regex.match(guid_re, id)
	k := t.index[table][norm(id)]
	ws := t[concat("", [table, "s"])][k].workspace
	ws in {null, group}
}

path_report := path_item("REPORT", "report", "report")

path_dataset := path_item("DATASET", "dataset", "dataset")

path_dashboard := path_item(endpoint.kind, "dashboard", "dashboard") if endpoint.kind in {"DASHBOARD", "TILE"}

path_tiles contains tile if {
	endpoint.kind == "DASHBOARD"
	some tile in t.dashboards[path_dashboard].tiles
}

path_tiles contains tile if {
	endpoint.kind == "TILE"
	regex.match(guid_re, endpoint.tile)
	tile_id := norm(endpoint.tile)
	some tile in t.dashboards[path_dashboard].tiles
	tile.id == tile_id
}

create_dataset := d if {
	endpoint.kind == "CREATE"
	is_string(body.datasetId)
	regex.match(guid_re, body.datasetId)
	d := t.index.dataset[norm(body.datasetId)]
}

v2_ids(key) := [e.id |
	v2
	is_array(body[key])
	some e in body[key]
	is_string(e.id)
	regex.match(guid_re, e.id)
]

reports contains r if r := path_report

reports contains r if {
	some id in v2_ids("reports")
	r := t.index.report[norm(id)]
}

datasets contains d if d := path_dataset

datasets contains d if d := create_dataset

datasets contains d if {
	some id in v2_ids("datasets")
	d := t.index.dataset[norm(id)]
}

datasets contains d if {
	some r in reports
	d := t.reports[r].dataset
	d != null
}

datasets contains d if {
	some tile in path_tiles
	d := tile.dataset
	d != null
}

# (A workspace that only a V2 `targetWorkspaces` entry brings in is EG113's, not the matrix's.)
workspaces contains group if is_string(group)

workspaces contains w if {
	some r in reports
	w := t.reports[r].workspace
	w != null
}

workspaces contains w if {
	some d in datasets
	w := t.datasets[d].workspace
	w != null
}

bindings contains [item, dataset_ws] if {
	some r in reports
	item := t.reports[r].workspace
	d := t.reports[r].dataset
	dataset_ws := t.datasets[d].workspace
	item != null
	dataset_ws != null
}

bindings contains [item, dataset_ws] if {
	some tile in path_tiles
	item := t.dashboards[path_dashboard].workspace
	dataset_ws := t.datasets[tile.dataset].workspace
	item != null
	dataset_ws != null
}

bindings contains [item, dataset_ws] if {
	d := create_dataset
	item := t.index.workspace[norm(endpoint.group)]
	dataset_ws := t.datasets[d].workspace
	dataset_ws != null
}

# ---------------------------------------------------------------------------------------------
# Workspace matrix.

types := {w: t.workspaces[w].type | some w in workspaces}

rank := {"Admin": 0, "Member": 1, "Contributor": 2, "Viewer": 3}

# The caller's known role in `w` is below `minimum` (not listed counts; unknown does not).
below(w, minimum) if {
	users := t.workspaces[w].users
	users != null
	not has_key(users, caller_key)
}

below(w, minimum) if {
	role := t.workspaces[w].users[caller_key]
	role != null
	rank[role] > rank[minimum]
}

codes contains "EG101" if my_workspace

codes contains "EG101" if "personal" in types

codes contains "EG102" if {
	"classic" in types
	v2
}

codes contains "EG103" if {
	some [item, dataset_ws] in bindings
	item != dataset_ws
	"classic" in {t.workspaces[item].type, t.workspaces[dataset_ws].type}
}

codes contains "EG104" if {
	"classic" in types
	is_sp
}

codes contains "EG105" if {
	is_mu
	some w, "classic" in types
	below(w, "Admin")
}

codes contains "EG106" if {
	caller
	some w, "new" in types
	below(w, "Member")
}

codes contains "EG110" if {
	some r in reports
	t.reports[r].paginated
	t.workspaces[t.reports[r].workspace].type == "classic"
}

# ---------------------------------------------------------------------------------------------
# RLS matrix.

rls := {d: t.datasets[d].rls | some d in datasets}

# [identity index, dataset]: the identity covers the dataset. An identity covers a dataset it
# lists; one that lists neither datasets nor reports covers them all (EG314 reports it; the
# other rules read it so).
coverage contains [i, d] if {
	some i, identity in identities
	is_array(identity.datasets)
	some e in identity.datasets
	is_string(e)
	d := t.index.dataset[norm(e)]
	datasets[d]
}

coverage contains [i, d] if {
	some i in unscoped
	some d in datasets
}

unscoped contains i if {
	some i, identity in identities
	not has_key(identity, "datasets")
	not has_key(identity, "reports")
}

covered contains d if some [_, d] in coverage

codes contains "EG301" if {
	is_sp
	some d, kind in rls
	kind in {"cloud", "as_on_premises", "as_azure", "sso_cloud"}
	not covered[d]
}

codes contains "EG302" if {
	is_mu
	some d, kind in rls
	kind in {"cloud", "sso_cloud"}
	not covered[d]
}

# An Analysis Services live connection takes an identity even without RLS (EG319's); an
# unscoped identity is EG314's unless every dataset it covers refuses identities.
codes contains "EG303" if {
	some [i, d] in coverage
	rls[d] == "none"
	not t.datasets[d].as_live
	not scope_missing(i)
}

scope_missing(i) if {
	unscoped[i]
	some pair in coverage
	pair[0] == i
	rls[pair[1]] != "none"
}

codes contains "EG304" if {
	is_mu
	some r in reports
	t.reports[r].paginated
}

# Neither admin of the dataset's gateway nor ReadOverrideEffectiveIdentity on it; with the
# gateway unknown, only a caller that administers no gateway at all is known to lack it.
codes contains "EG305" if {
	some d, "as_on_premises" in rls
	perms := caller.permissions
	perms != null
	not perms.read_override[d]
	not_gateway_admin(perms, t.datasets[d].gateway)
}

not_gateway_admin(perms, gw) if {
	gw != null
	not perms.gateway_admin[gw]
}

not_gateway_admin(perms, null) if count(perms.gateway_admin) == 0

# Azure AS: the username must be the caller — the SP's object id, the master user's UPN.
codes contains "EG306" if {
	some [i, d] in coverage
	rls[d] == "as_azure"
	u := identities[i].username
	is_string(u)
	caller.kind in {"service_principal", "master_user"}
	not placeholder(u)
	not username_ok(u)
}

expected_username := caller.object_id if is_sp

expected_username := caller.upn if is_mu

username_ok(u) if {
	is_string(expected_username)
	lower(expected_username) == lower(u)
}

username_ok(u) if {
	expected_username == null
	not app_id_used(u)
}

app_id_used(u) if {
	is_sp
	is_string(caller.app_id)
	lower(caller.app_id) == lower(u)
}

complete(identity) if {
	has_key(identity, "username")
	has_key(identity, "identityBlob")
}

codes contains "EG307" if {
	is_sp
	some d, "sso" in rls
	not sso_covered(d)
}

sso_covered(d) if {
	some pair in coverage
	pair[1] == d
	complete(identities[pair[0]])
}

codes contains "EG308" if {
	some [i, d] in coverage
	rls[d] == "sso_cloud"
	not complete(identities[i])
}

codes contains "EG309" if {
	some [i, d] in coverage
	rls[d] in {"cloud", "sso_cloud"}
	no_role(identities[i])
}

no_role(identity) if not has_key(identity, "roles")

no_role(identity) if {
	is_array(identity.roles)
	count([r | some r in identity.roles; is_string(r)]) == 0
}
