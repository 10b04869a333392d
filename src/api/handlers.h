/*
 * api/handlers.h - the handlers the route table names, one group per file
 * of api/. Each follows route_fn (http/router.h): answer with resp_*() and
 * return ERR_OK, or return an error for the server to answer.
 */
#ifndef API_HANDLERS_H
#define API_HANDLERS_H

#include "core/compat.h"
#include "http/router.h"

/* api/health.c */
route_fn health_live;
route_fn health_ready;
route_fn health_metrics;
route_fn health_openapi;

/* api/auth.c */
route_fn auth_register;
route_fn auth_login;
route_fn auth_me;
route_fn auth_logout;

/* api/plans.c */
route_fn plans_list;
route_fn usage_get;
route_fn usage_history_get;

/* api/projects.c */
route_fn projects_list;
route_fn projects_create;
route_fn projects_get;
route_fn projects_update;
route_fn projects_delete;

/* api/personas.c */
route_fn personas_list;
route_fn personas_create;
route_fn personas_get;
route_fn personas_update;
route_fn personas_delete;
route_fn personas_templates;
route_fn personas_template_get;

/* api/persona_model.c */
route_fn generate_personas;
route_fn validate_persona;

/* api/interviews.c */
route_fn interviews_chat;
route_fn interviews_list;
route_fn interviews_get;
route_fn interviews_delete;

/* api/libraries.c */
route_fn libraries_list;
route_fn libraries_create;
route_fn libraries_get;
route_fn libraries_update;
route_fn libraries_delete;
route_fn libraries_add_personas;
route_fn libraries_remove_persona;

/* api/tests.c */
route_fn tests_list;
route_fn tests_create;
route_fn tests_get;
route_fn tests_update;
route_fn tests_delete;
route_fn tests_estimate;

/* api/runs.c */
route_fn runs_start;
route_fn runs_list;
route_fn runs_get;
route_fn runs_cancel;
route_fn runs_pause;
route_fn runs_resume;
route_fn runs_results;
route_fn runs_report;
route_fn runs_export;
route_fn runs_events;
route_fn runs_persona_usage;

/* api/api_keys.c */
route_fn api_keys_list;
route_fn api_keys_create;
route_fn api_keys_revoke;

/* api/workspace.c */
route_fn workspace_get;
route_fn workspace_update;
route_fn members_list;
route_fn members_update;
route_fn members_remove;
route_fn invites_list;
route_fn invites_create;
route_fn invites_revoke;

/* api/llm.c */
route_fn llm_status;

/* api/billing.c */
route_fn billing_show;
route_fn billing_invoices_list;
route_fn billing_quote_show;
route_fn billing_buy_extras;
route_fn billing_upgrade_plan;
route_fn billing_downgrade_plan;
route_fn billing_cancel_scheduled;

/* api/notifications.c */
route_fn notifications_list;
route_fn notifications_read;
route_fn notifications_read_all;
route_fn webhook_put;
route_fn webhook_show;
route_fn webhook_remove;

/* api/testing.c (ROUTE_TEST_ONLY) */
route_fn testing_echo;
route_fn testing_slow;
route_fn testing_ticker;
route_fn testing_fail;
route_fn testing_clock;

#endif
