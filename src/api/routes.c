/*
 * api/routes.c - the route table. A literal segment wins over a parameter
 * (http/router.h), so order here does not matter. Every route here is
 * described in docs/openapi.yaml (a unit test checks it).
 */
#include "core/compat.h"

#include "api/handlers.h"
#include "api/routes.h"

const struct route api_routes[] = {
    /* public: health, the API's description, sign-in, the plans */
    { HTTP_GET, "/healthz", health_live, ROUTE_PUBLIC },
    { HTTP_GET, "/readyz", health_ready, ROUTE_PUBLIC },
    { HTTP_GET, "/metrics", health_metrics, ROUTE_PUBLIC },
    { HTTP_GET, "/api/openapi.yaml", health_openapi, ROUTE_PUBLIC },
    { HTTP_POST, "/api/auth/register", auth_register, ROUTE_BODY_JSON | ROUTE_PUBLIC },
    { HTTP_POST, "/api/auth/login", auth_login, ROUTE_BODY_JSON | ROUTE_PUBLIC },
    { HTTP_GET, "/api/plans", plans_list, ROUTE_PUBLIC },

    /* everything else needs a token or an API key (api/guard.c) */
    { HTTP_GET, "/api/auth/me", auth_me, 0 },
    { HTTP_POST, "/api/auth/logout", auth_logout, 0 },
    { HTTP_GET, "/api/usage", usage_get, 0 },
    { HTTP_GET, "/api/usage/history", usage_history_get, 0 },
    { HTTP_GET, "/api/llm/status", llm_status, 0 },

    { HTTP_GET, "/api/projects", projects_list, 0 },
    { HTTP_POST, "/api/projects", projects_create, ROUTE_BODY_JSON },
    { HTTP_GET, "/api/projects/:id", projects_get, 0 },
    { HTTP_PUT, "/api/projects/:id", projects_update, ROUTE_BODY_JSON },
    { HTTP_DELETE, "/api/projects/:id", projects_delete, 0 },

    { HTTP_GET, "/api/personas", personas_list, 0 },
    { HTTP_POST, "/api/personas", personas_create, ROUTE_BODY_JSON },
    { HTTP_GET, "/api/personas/templates", personas_templates, 0 },
    { HTTP_GET, "/api/personas/templates/:id", personas_template_get, 0 },
    { HTTP_GET, "/api/personas/:id", personas_get, 0 },
    { HTTP_PUT, "/api/personas/:id", personas_update, ROUTE_BODY_JSON },
    { HTTP_DELETE, "/api/personas/:id", personas_delete, 0 },
    { HTTP_POST, "/api/personas/generate", generate_personas, ROUTE_BODY_JSON },
    { HTTP_POST, "/api/personas/:id/validate", validate_persona, ROUTE_BODY_JSON },
    { HTTP_POST, "/api/personas/:id/chat", interviews_chat, ROUTE_BODY_JSON },
    { HTTP_GET, "/api/personas/:id/conversations", interviews_list, 0 },
    { HTTP_GET, "/api/personas/:id/usage", runs_persona_usage, 0 },
    { HTTP_GET, "/api/personas/:id/conversations/:cid", interviews_get, 0 },
    { HTTP_DELETE, "/api/personas/:id/conversations/:cid", interviews_delete, 0 },

    { HTTP_GET, "/api/libraries", libraries_list, 0 },
    { HTTP_POST, "/api/libraries", libraries_create, ROUTE_BODY_JSON },
    { HTTP_GET, "/api/libraries/:id", libraries_get, 0 },
    { HTTP_PUT, "/api/libraries/:id", libraries_update, ROUTE_BODY_JSON },
    { HTTP_DELETE, "/api/libraries/:id", libraries_delete, 0 },
    { HTTP_POST, "/api/libraries/:id/personas", libraries_add_personas, ROUTE_BODY_JSON },
    { HTTP_DELETE, "/api/libraries/:id/personas/:persona_id", libraries_remove_persona, 0 },

    { HTTP_GET, "/api/tests", tests_list, 0 },
    { HTTP_POST, "/api/tests", tests_create, ROUTE_BODY_JSON },
    { HTTP_GET, "/api/tests/:id", tests_get, 0 },
    { HTTP_PUT, "/api/tests/:id", tests_update, ROUTE_BODY_JSON },
    { HTTP_DELETE, "/api/tests/:id", tests_delete, 0 },
    { HTTP_POST, "/api/tests/:id/estimate", tests_estimate, 0 },
    { HTTP_POST, "/api/tests/:id/run", runs_start, 0 },
    { HTTP_GET, "/api/tests/:id/runs", runs_list, 0 },
    { HTTP_GET, "/api/tests/:id/runs/:rid", runs_get, 0 },
    { HTTP_POST, "/api/tests/:id/runs/:rid/cancel", runs_cancel, 0 },
    { HTTP_POST, "/api/tests/:id/runs/:rid/pause", runs_pause, 0 },
    { HTTP_POST, "/api/tests/:id/runs/:rid/resume", runs_resume, 0 },
    { HTTP_GET, "/api/tests/:id/runs/:rid/results", runs_results, 0 },
    { HTTP_GET, "/api/tests/:id/runs/:rid/report", runs_report, 0 },
    { HTTP_GET, "/api/tests/:id/runs/:rid/export", runs_export, 0 },
    { HTTP_GET, "/api/tests/:id/runs/:rid/events", runs_events, 0 },
    { HTTP_POST, "/api/tests/:id/cancel", runs_cancel, 0 },
    { HTTP_POST, "/api/tests/:id/pause", runs_pause, 0 },
    { HTTP_POST, "/api/tests/:id/resume", runs_resume, 0 },
    { HTTP_GET, "/api/tests/:id/results", runs_results, 0 },
    { HTTP_GET, "/api/tests/:id/report", runs_report, 0 },
    { HTTP_GET, "/api/tests/:id/export", runs_export, 0 },
    { HTTP_GET, "/api/tests/:id/events", runs_events, 0 },

    { HTTP_GET, "/api/api-keys", api_keys_list, 0 },
    { HTTP_POST, "/api/api-keys", api_keys_create, ROUTE_BODY_JSON },
    { HTTP_DELETE, "/api/api-keys/:id", api_keys_revoke, 0 },

    { HTTP_GET, "/api/workspace", workspace_get, 0 },
    { HTTP_PUT, "/api/workspace", workspace_update, ROUTE_BODY_JSON },
    { HTTP_GET, "/api/workspace/members", members_list, 0 },
    { HTTP_PUT, "/api/workspace/members/:id", members_update, ROUTE_BODY_JSON },
    { HTTP_DELETE, "/api/workspace/members/:id", members_remove, 0 },
    { HTTP_GET, "/api/workspace/invites", invites_list, 0 },
    { HTTP_POST, "/api/workspace/invites", invites_create, ROUTE_BODY_JSON },
    { HTTP_DELETE, "/api/workspace/invites/:id", invites_revoke, 0 },

    { HTTP_GET, "/api/notifications", notifications_list, 0 },
    { HTTP_POST, "/api/notifications/read-all", notifications_read_all, 0 },
    { HTTP_POST, "/api/notifications/:id/read", notifications_read, 0 },
    { HTTP_GET, "/api/workspace/webhook", webhook_show, 0 },
    { HTTP_PUT, "/api/workspace/webhook", webhook_put, ROUTE_BODY_JSON },
    { HTTP_DELETE, "/api/workspace/webhook", webhook_remove, 0 },

    { HTTP_GET, "/api/billing", billing_show, 0 },
    { HTTP_GET, "/api/billing/invoices", billing_invoices_list, 0 },
    { HTTP_GET, "/api/billing/quote", billing_quote_show, 0 },
    { HTTP_POST, "/api/billing/extra-personas", billing_buy_extras, ROUTE_BODY_JSON },
    { HTTP_POST, "/api/billing/upgrade", billing_upgrade_plan, ROUTE_BODY_JSON },
    { HTTP_POST, "/api/billing/downgrade", billing_downgrade_plan, ROUTE_BODY_JSON },
    { HTTP_DELETE, "/api/billing/scheduled-change", billing_cancel_scheduled, 0 },

    /* diagnostics for the end-to-end tests; absent unless CROWDELIC_ENV=test */
    { HTTP_POST, "/api/_test/echo", testing_echo,
      ROUTE_BODY_JSON | ROUTE_TEST_ONLY | ROUTE_PUBLIC },
    { HTTP_GET, "/api/_test/slow", testing_slow, ROUTE_TEST_ONLY | ROUTE_PUBLIC },
    { HTTP_GET, "/api/_test/ticker", testing_ticker, ROUTE_TEST_ONLY | ROUTE_PUBLIC },
    { HTTP_GET, "/api/_test/fail", testing_fail, ROUTE_TEST_ONLY | ROUTE_PUBLIC },
    { HTTP_POST, "/api/_test/clock", testing_clock,
      ROUTE_BODY_JSON | ROUTE_TEST_ONLY | ROUTE_PUBLIC },
};

const size_t n_api_routes = ARRAY_SIZE(api_routes);

const struct route worker_routes[] = {
    { HTTP_GET, "/healthz", health_live, ROUTE_PUBLIC },
    { HTTP_GET, "/readyz", health_ready, ROUTE_PUBLIC },
    { HTTP_GET, "/metrics", health_metrics, ROUTE_PUBLIC },
};

const size_t n_worker_routes = ARRAY_SIZE(worker_routes);
