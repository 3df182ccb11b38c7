//! Configuration from variables and builder methods: precedence, inference,
//! and errors that name the variables. The process environment is never
//! touched: every test reads from its own map.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use camunda8::auth::{ClientCredentials, TokenBodyFormat};
use camunda8::{AuthMethod, AuthStrategy, Config, Error, ResolvedConfig, RetryPolicy, Secret};

const CLUSTER: &str = "123e4567-e89b-12d3-a456-426614174000";

fn config(vars: &[(&str, &str)]) -> Config {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(move |name| map.get(name).cloned())
}

fn resolve(vars: &[(&str, &str)]) -> ResolvedConfig {
    config(vars).resolve().unwrap()
}

fn resolve_err(vars: &[(&str, &str)]) -> Error {
    config(vars).resolve().unwrap_err()
}

fn oauth(method: &Option<AuthMethod>) -> &ClientCredentials {
    match method {
        Some(AuthMethod::OAuth(c)) => c,
        other => panic!("expected OAuth, got {other:?}"),
    }
}

/// The error's message names every one of `names`.
fn assert_names(error: &Error, names: &[&str]) {
    let message = error.to_string();
    for name in names {
        assert!(message.contains(name), "{name} missing from: {message}");
    }
}

#[test]
fn nothing_set_gives_defaults_and_no_auth() {
    let r = resolve(&[]);
    assert_eq!(r.auth_strategy, AuthStrategy::None);
    assert_eq!(r.zeebe.base_url, None);
    assert_eq!(r.operate.base_url, None);
    assert_eq!(r.zeebe.auth, Some(AuthMethod::None));
    assert_eq!(
        r.admin.base_url.as_ref().map(|u| u.as_str()),
        Some("https://api.cloud.camunda.io/")
    );
    assert_eq!(r.admin.auth, None);
    assert_names(
        &r.admin.require_auth().unwrap_err(),
        &["CAMUNDA_CONSOLE_CLIENT_ID", "CAMUNDA_CONSOLE_CLIENT_SECRET"],
    );
    assert_names(
        &r.zeebe.require_base_url().unwrap_err(),
        &[
            "ZEEBE_REST_ADDRESS",
            "CAMUNDA_CLUSTER_REGION",
            "CAMUNDA_CLUSTER_ID",
        ],
    );
    assert_eq!(r.connect_timeout, Duration::from_secs(10));
    assert_eq!(r.request_timeout, Duration::from_secs(30));
    assert_eq!(r.retry, RetryPolicy::default());
    assert!(!r.allow_insecure_http);
    assert!(r.tls.is_empty());
    assert_eq!(r.token_cache_dir, None);
    assert_eq!(Config::new().resolve().unwrap(), r);
}

#[test]
fn saas_dotenv_works_unchanged() {
    let r = resolve(&[
        ("ZEEBE_CLIENT_ID", "zid"),
        ("ZEEBE_CLIENT_SECRET", "zsecret"),
        ("CAMUNDA_CLUSTER_ID", CLUSTER),
        ("CAMUNDA_CLUSTER_REGION", "bru-2"),
        ("CAMUNDA_CONSOLE_CLIENT_ID", "cid"),
        ("CAMUNDA_CONSOLE_CLIENT_SECRET", "csecret"),
        ("HOME", "/home/u"),
    ]);
    assert_eq!(r.auth_strategy, AuthStrategy::OAuth);
    let z = oauth(&r.zeebe.auth);
    assert_eq!(z.client_id, "zid");
    assert_eq!(z.client_secret.expose(), "zsecret");
    assert_eq!(z.audience, "zeebe.camunda.io");
    assert_eq!(
        z.token_url.as_str(),
        "https://login.cloud.camunda.io/oauth/token"
    );
    assert_eq!(z.scope, None);
    assert_eq!(z.body_format, TokenBodyFormat::Form);
    let o = oauth(&r.operate.auth);
    assert_eq!(o.audience, "operate.camunda.io");
    assert_eq!(o.client_id, "zid");
    let a = oauth(&r.admin.auth);
    assert_eq!(a.client_id, "cid");
    assert_eq!(a.client_secret.expose(), "csecret");
    assert_eq!(a.audience, "api.cloud.camunda.io");
    assert_eq!(
        r.zeebe.api_base().as_deref(),
        Some(format!("https://bru-2.zeebe.camunda.io/{CLUSTER}/v1").as_str())
    );
    assert_eq!(
        r.operate.api_base().as_deref(),
        Some(format!("https://bru-2.operate.camunda.io/{CLUSTER}").as_str())
    );
    assert_eq!(
        r.admin.api_base().as_deref(),
        Some("https://api.cloud.camunda.io")
    );
    // The disk cache is opt-in.
    assert_eq!(r.token_cache_dir, None);
}

#[test]
fn camunda_names_win_over_zeebe_names() {
    let r = resolve(&[
        ("ZEEBE_CLIENT_ID", "zid"),
        ("ZEEBE_CLIENT_SECRET", "zsecret"),
        ("CAMUNDA_CLIENT_ID", "cid"),
        ("CAMUNDA_CLIENT_SECRET", "csecret"),
        (
            "ZEEBE_AUTHORIZATION_SERVER_URL",
            "https://old.example/token",
        ),
        ("CAMUNDA_OAUTH_URL", "https://new.example/token"),
        ("ZEEBE_TOKEN_AUDIENCE", "old-aud"),
        ("CAMUNDA_ZEEBE_OAUTH_AUDIENCE", "new-aud"),
    ]);
    let z = oauth(&r.zeebe.auth);
    assert_eq!(z.client_id, "cid");
    assert_eq!(z.client_secret.expose(), "csecret");
    assert_eq!(z.token_url.as_str(), "https://new.example/token");
    assert_eq!(z.audience, "new-aud");

    // The older names alone are used.
    let r = resolve(&[
        ("ZEEBE_CLIENT_ID", "zid"),
        ("ZEEBE_CLIENT_SECRET", "zsecret"),
        (
            "ZEEBE_AUTHORIZATION_SERVER_URL",
            "https://old.example/token",
        ),
        ("ZEEBE_TOKEN_AUDIENCE", "old-aud"),
    ]);
    let z = oauth(&r.zeebe.auth);
    assert_eq!(z.token_url.as_str(), "https://old.example/token");
    assert_eq!(z.audience, "old-aud");
}

#[test]
fn a_client_id_without_its_secret_is_named() {
    let e = resolve_err(&[("ZEEBE_CLIENT_ID", "zid")]);
    assert!(matches!(e, Error::MissingSetting { .. }), "{e:?}");
    assert_names(&e, &["ZEEBE_CLIENT_SECRET", "ZEEBE_CLIENT_ID"]);

    let e = resolve_err(&[("ZEEBE_CLIENT_SECRET", "s")]);
    assert_names(&e, &["ZEEBE_CLIENT_ID"]);

    // A half CAMUNDA_ pair is not completed from the ZEEBE_ pair.
    let e = resolve_err(&[
        ("CAMUNDA_CLIENT_ID", "cid"),
        ("ZEEBE_CLIENT_ID", "zid"),
        ("ZEEBE_CLIENT_SECRET", "zsecret"),
    ]);
    assert_names(&e, &["CAMUNDA_CLIENT_SECRET"]);

    let e = resolve_err(&[("CAMUNDA_CONSOLE_CLIENT_ID", "x")]);
    assert_names(&e, &["CAMUNDA_CONSOLE_CLIENT_SECRET"]);
}

#[test]
fn oauth_and_basic_without_a_strategy_conflict() {
    let vars = [
        ("ZEEBE_CLIENT_ID", "zid"),
        ("ZEEBE_CLIENT_SECRET", "zsecret"),
        ("CAMUNDA_BASIC_AUTH_USERNAME", "demo"),
        ("CAMUNDA_BASIC_AUTH_PASSWORD", "demo-password"),
    ];
    let e = resolve_err(&vars);
    assert!(matches!(e, Error::ConflictingSettings { .. }), "{e:?}");
    assert_names(
        &e,
        &[
            "ZEEBE_CLIENT_ID",
            "CAMUNDA_BASIC_AUTH_USERNAME",
            "CAMUNDA_AUTH_STRATEGY",
        ],
    );
    assert!(!format!("{e:?}").contains("demo-password"));
    assert!(!format!("{e:?}").contains("zsecret"));

    // Choosing resolves it.
    let mut chosen = vars.to_vec();
    chosen.push(("CAMUNDA_AUTH_STRATEGY", "basic"));
    let r = resolve(&chosen);
    assert_eq!(r.auth_strategy, AuthStrategy::Basic);
    assert_eq!(
        r.zeebe.auth,
        Some(AuthMethod::Basic {
            username: "demo".into(),
            password: Secret::new("demo-password"),
        })
    );
    let r = config(&vars)
        .auth_strategy(AuthStrategy::OAuth)
        .resolve()
        .unwrap();
    assert_eq!(oauth(&r.operate.auth).client_id, "zid");
}

#[test]
fn strategies_are_inferred_from_the_credentials_present() {
    let r = resolve(&[
        ("CAMUNDA_BASIC_AUTH_USERNAME", "u"),
        ("CAMUNDA_BASIC_AUTH_PASSWORD", "p"),
    ]);
    assert_eq!(r.auth_strategy, AuthStrategy::Basic);
    let r = resolve(&[("CAMUNDA_OAUTH_TOKEN", "tok")]);
    assert_eq!(r.auth_strategy, AuthStrategy::Bearer);
    assert_eq!(r.zeebe.auth, Some(AuthMethod::Bearer(Secret::new("tok"))));
    let r = resolve(&[
        ("CAMUNDA_COOKIE_AUTH_USERNAME", "demo"),
        ("CAMUNDA_COOKIE_AUTH_PASSWORD", "demo"),
        ("CAMUNDA_OPERATE_BASE_URL", "http://localhost:8081"),
    ]);
    assert_eq!(r.auth_strategy, AuthStrategy::Cookie);
    // Console credentials do not choose the cluster strategy.
    let r = resolve(&[
        ("CAMUNDA_CONSOLE_CLIENT_ID", "c"),
        ("CAMUNDA_CONSOLE_CLIENT_SECRET", "s"),
    ]);
    assert_eq!(r.auth_strategy, AuthStrategy::None);
    assert!(matches!(r.admin.auth, Some(AuthMethod::OAuth(_))));
}

#[test]
fn a_strategy_without_its_credentials_is_named() {
    let cases: &[(&str, &[&str])] = &[
        ("OAUTH", &["CAMUNDA_CLIENT_ID", "ZEEBE_CLIENT_ID"]),
        ("BASIC", &["CAMUNDA_BASIC_AUTH_USERNAME"]),
        ("BEARER", &["CAMUNDA_OAUTH_TOKEN"]),
        ("COOKIE", &["CAMUNDA_COOKIE_AUTH_USERNAME"]),
    ];
    for (strategy, names) in cases {
        let e = resolve_err(&[("CAMUNDA_AUTH_STRATEGY", strategy)]);
        assert!(
            matches!(e, Error::MissingSetting { .. }),
            "{strategy}: {e:?}"
        );
        assert_names(&e, names);
    }
    let e = resolve_err(&[
        ("CAMUNDA_AUTH_STRATEGY", "COOKIE"),
        ("CAMUNDA_COOKIE_AUTH_USERNAME", "demo"),
    ]);
    assert_names(&e, &["CAMUNDA_COOKIE_AUTH_PASSWORD"]);
    let e = resolve_err(&[
        ("CAMUNDA_AUTH_STRATEGY", "BASIC"),
        ("CAMUNDA_BASIC_AUTH_PASSWORD", "x"),
    ]);
    assert_names(&e, &["CAMUNDA_BASIC_AUTH_USERNAME"]);
    let r = resolve(&[("CAMUNDA_AUTH_STRATEGY", "none")]);
    assert_eq!(r.operate.auth, Some(AuthMethod::None));
}

#[test]
fn cookie_login_url_defaults_to_each_component() {
    let r = resolve(&[
        ("CAMUNDA_AUTH_STRATEGY", "COOKIE"),
        ("CAMUNDA_COOKIE_AUTH_USERNAME", "demo"),
        ("CAMUNDA_COOKIE_AUTH_PASSWORD", "pw"),
        ("CAMUNDA_OPERATE_BASE_URL", "http://localhost:8081/v1/"),
        ("ZEEBE_REST_ADDRESS", "http://localhost:8080"),
    ]);
    match &r.operate.auth {
        Some(AuthMethod::Cookie {
            login_url,
            username,
            password,
        }) => {
            assert_eq!(login_url.as_str(), "http://localhost:8081/api/login");
            assert_eq!(username, "demo");
            assert_eq!(password.expose(), "pw");
        }
        other => panic!("{other:?}"),
    }
    match &r.zeebe.auth {
        Some(AuthMethod::Cookie { login_url, .. }) => {
            assert_eq!(login_url.as_str(), "http://localhost:8080/api/login")
        }
        other => panic!("{other:?}"),
    }
    // An explicit login URL is used for both.
    let r = resolve(&[
        ("CAMUNDA_COOKIE_AUTH_USERNAME", "demo"),
        ("CAMUNDA_COOKIE_AUTH_PASSWORD", "pw"),
        ("CAMUNDA_COOKIE_AUTH_URL", "http://127.0.0.1:9000/api/login"),
        ("CAMUNDA_OPERATE_BASE_URL", "http://localhost:8081"),
    ]);
    match &r.operate.auth {
        Some(AuthMethod::Cookie { login_url, .. }) => {
            assert_eq!(login_url.as_str(), "http://127.0.0.1:9000/api/login")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn tls_pairs_must_be_complete() {
    let e = resolve_err(&[("CAMUNDA_CUSTOM_CERT_CHAIN_PATH", "/x/chain.pem")]);
    assert!(matches!(e, Error::MissingSetting { .. }));
    assert_names(&e, &["CAMUNDA_CUSTOM_PRIVATE_KEY_PATH"]);
    let e = resolve_err(&[("CAMUNDA_CUSTOM_PRIVATE_KEY_PATH", "/x/key.pem")]);
    assert_names(&e, &["CAMUNDA_CUSTOM_CERT_CHAIN_PATH"]);
    let r = resolve(&[
        ("CAMUNDA_CUSTOM_ROOT_CERT_PATH", "/x/ca.pem"),
        ("CAMUNDA_CUSTOM_CERT_CHAIN_PATH", "/x/chain.pem"),
        ("CAMUNDA_CUSTOM_PRIVATE_KEY_PATH", "/x/key.pem"),
    ]);
    assert_eq!(r.tls.root_cert_path, Some(PathBuf::from("/x/ca.pem")));
    assert_eq!(r.tls.cert_chain_path, Some(PathBuf::from("/x/chain.pem")));
    assert_eq!(r.tls.private_key_path, Some(PathBuf::from("/x/key.pem")));
}

#[test]
fn unparsable_values_are_named() {
    let cases: &[(&str, &str)] = &[
        ("CAMUNDA_TOKEN_DISK_CACHE_DISABLE", "maybe"),
        ("CAMUNDA_ALLOW_INSECURE_HTTP", "yes please"),
        ("CAMUNDA_REQUEST_TIMEOUT_MS", "30s"),
        ("CAMUNDA_CONNECT_TIMEOUT_MS", "0"),
        ("CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS", "0"),
        ("CAMUNDA_SDK_HTTP_RETRY_BASE_DELAY_MS", "-5"),
        ("CAMUNDA_SDK_HTTP_RETRY_MAX_DELAY_MS", "1e3"),
        ("CAMUNDA_SDK_HTTP_RETRY_MAX_ELAPSED_MS", "forever"),
        ("CAMUNDA_AUTH_STRATEGY", "KERBEROS"),
        ("CAMUNDA_OAUTH_BODY_FORMAT", "xml"),
        ("ZEEBE_REST_ADDRESS", "not a url"),
        ("CAMUNDA_OPERATE_BASE_URL", "ftp://operate.example"),
        ("CAMUNDA_CONSOLE_BASE_URL", "//api.example"),
        ("CAMUNDA_OAUTH_URL", "https://"),
    ];
    for (name, value) in cases {
        let e = resolve_err(&[(name, value)]);
        match &e {
            Error::InvalidValue { setting, .. } => assert_eq!(setting, name),
            other => panic!("{name}={value}: {other:?}"),
        }
        assert_names(&e, &[name]);
    }
}

#[test]
fn cluster_settings_are_validated_and_paired() {
    let e = resolve_err(&[("CAMUNDA_CLUSTER_REGION", "bru-2")]);
    assert_names(&e, &["CAMUNDA_CLUSTER_ID"]);
    let e = resolve_err(&[("CAMUNDA_CLUSTER_ID", CLUSTER)]);
    assert_names(&e, &["CAMUNDA_CLUSTER_REGION"]);
    let e = resolve_err(&[
        ("CAMUNDA_CLUSTER_REGION", "evil.com/"),
        ("CAMUNDA_CLUSTER_ID", CLUSTER),
    ]);
    assert!(
        matches!(&e, Error::InvalidValue { setting, value, .. } if setting == "CAMUNDA_CLUSTER_REGION" && value == "evil.com/"),
        "{e:?}"
    );
    let e = resolve_err(&[
        ("CAMUNDA_CLUSTER_REGION", "bru-2"),
        ("CAMUNDA_CLUSTER_ID", "../x"),
    ]);
    assert!(
        matches!(&e, Error::InvalidValue { setting, .. } if setting == "CAMUNDA_CLUSTER_ID"),
        "{e:?}"
    );
    let e = Config::new().cluster("BRU", CLUSTER).resolve().unwrap_err();
    assert!(
        matches!(&e, Error::InvalidValue { setting, .. } if setting == "Config::cluster"),
        "{e:?}"
    );
    // Upper-case cluster ids are normalized.
    let r = resolve(&[
        ("CAMUNDA_CLUSTER_REGION", "bru-2"),
        ("CAMUNDA_CLUSTER_ID", &CLUSTER.to_uppercase()),
    ]);
    assert_eq!(
        r.operate.base_url.unwrap().as_str(),
        format!("https://bru-2.operate.camunda.io/{CLUSTER}")
    );
}

#[test]
fn explicit_addresses_override_region_and_cluster() {
    let r = resolve(&[
        ("CAMUNDA_CLUSTER_REGION", "bru-2"),
        ("CAMUNDA_CLUSTER_ID", CLUSTER),
        ("ZEEBE_REST_ADDRESS", "http://localhost:8080/"),
    ]);
    assert_eq!(
        r.zeebe.api_base().as_deref(),
        Some("http://localhost:8080/v1")
    );
    assert_eq!(
        r.operate.api_base().as_deref(),
        Some(format!("https://bru-2.operate.camunda.io/{CLUSTER}").as_str())
    );
    let r = config(&[("ZEEBE_REST_ADDRESS", "http://localhost:8080/")])
        .zeebe_url("https://zeebe.example/v1")
        .operate_url("https://operate.example/v1/")
        .console_url("https://console.example")
        .resolve()
        .unwrap();
    assert_eq!(
        r.zeebe.api_base().as_deref(),
        Some("https://zeebe.example/v1")
    );
    assert_eq!(
        r.operate.api_base().as_deref(),
        Some("https://operate.example")
    );
    assert_eq!(
        r.admin.api_base().as_deref(),
        Some("https://console.example")
    );
}

#[test]
fn plain_http_needs_loopback_or_the_opt_in() {
    let e = resolve_err(&[("ZEEBE_REST_ADDRESS", "http://zeebe.internal:8080")]);
    assert!(
        matches!(&e, Error::InsecureUrl { setting, .. } if setting == "ZEEBE_REST_ADDRESS"),
        "{e:?}"
    );
    let e = resolve_err(&[(
        "ZEEBE_AUTHORIZATION_SERVER_URL",
        "http://keycloak:18080/token",
    )]);
    assert!(
        matches!(&e, Error::InsecureUrl { setting, .. } if setting == "ZEEBE_AUTHORIZATION_SERVER_URL"),
        "{e:?}"
    );
    let e = Config::new()
        .oauth_url("http://keycloak:18080/token")
        .resolve()
        .unwrap_err();
    assert!(
        matches!(&e, Error::InsecureUrl { setting, .. } if setting == "Config::oauth_url"),
        "{e:?}"
    );
    let r = resolve(&[
        ("ZEEBE_REST_ADDRESS", "http://zeebe.internal:8080"),
        ("CAMUNDA_OAUTH_URL", "http://keycloak:18080/token"),
        ("CAMUNDA_ALLOW_INSECURE_HTTP", "true"),
    ]);
    assert!(r.allow_insecure_http);
    let r = config(&[("ZEEBE_REST_ADDRESS", "http://zeebe.internal:8080")])
        .allow_insecure_http(true)
        .resolve()
        .unwrap();
    assert!(r.zeebe.base_url.is_some());
    // The builder can also revoke an opt-in from the environment.
    let e = config(&[
        ("ZEEBE_REST_ADDRESS", "http://zeebe.internal:8080"),
        ("CAMUNDA_ALLOW_INSECURE_HTTP", "true"),
    ])
    .allow_insecure_http(false)
    .resolve()
    .unwrap_err();
    assert!(matches!(e, Error::InsecureUrl { .. }));
    // Loopback needs no opt-in.
    resolve(&[
        ("ZEEBE_REST_ADDRESS", "http://127.0.0.1:8080"),
        ("CAMUNDA_OAUTH_URL", "http://localhost:18080/token"),
    ]);
}

#[test]
fn builder_methods_override_variables() {
    let policy = RetryPolicy::none();
    let r = config(&[
        ("ZEEBE_CLIENT_ID", "env-id"),
        ("CAMUNDA_CLIENT_SECRET", "env-secret-half-pair"),
        ("CAMUNDA_REQUEST_TIMEOUT_MS", "1000"),
        ("CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS", "9"),
        ("CAMUNDA_TOKEN_DISK_CACHE_DISABLE", "true"),
        ("CAMUNDA_TOKEN_CACHE_DIR", "/env/dir"),
        ("CAMUNDA_OAUTH_BODY_FORMAT", "FORM"),
        ("CAMUNDA_TOKEN_SCOPE", "env-scope"),
    ])
    .client_credentials("b-id", "b-secret")
    .request_timeout(Duration::from_secs(7))
    .connect_timeout(Duration::from_millis(1500))
    .retry_policy(policy.clone())
    .token_disk_cache(true)
    .token_cache_dir("/builder/dir")
    .oauth_body_format(TokenBodyFormat::Json)
    .token_scope("b-scope")
    .zeebe_audience("b-zeebe")
    .operate_audience("b-operate")
    .oauth_url("https://idp.example/token")
    .resolve()
    .unwrap();
    let z = oauth(&r.zeebe.auth);
    assert_eq!(z.client_id, "b-id");
    assert_eq!(z.client_secret.expose(), "b-secret");
    assert_eq!(z.body_format, TokenBodyFormat::Json);
    assert_eq!(z.scope.as_deref(), Some("b-scope"));
    assert_eq!(z.audience, "b-zeebe");
    assert_eq!(z.token_url.as_str(), "https://idp.example/token");
    assert_eq!(oauth(&r.operate.auth).audience, "b-operate");
    assert_eq!(r.request_timeout, Duration::from_secs(7));
    assert_eq!(r.connect_timeout, Duration::from_millis(1500));
    assert_eq!(r.retry, policy);
    assert_eq!(r.token_cache_dir, Some(PathBuf::from("/builder/dir")));

    let e = Config::new()
        .request_timeout(Duration::ZERO)
        .resolve()
        .unwrap_err();
    assert!(
        matches!(&e, Error::InvalidValue { setting, .. } if setting == "Config::request_timeout")
    );
}

/// `<default>` unless a variable or the builder names another tenant, or
/// the builder turns the filling off; the builder wins either way.
#[test]
fn default_tenant_is_camundas_unless_configured_or_turned_off() {
    assert_eq!(resolve(&[]).default_tenant_id.as_deref(), Some("<default>"));
    assert_eq!(
        camunda8::config::DEFAULT_TENANT_ID,
        "<default>",
        "the documented default"
    );
    let alias = resolve(&[("CAMUNDA_TENANT_ID", "acme")]);
    assert_eq!(alias.default_tenant_id.as_deref(), Some("acme"));
    let both = resolve(&[
        ("CAMUNDA_DEFAULT_TENANT_ID", "emea"),
        ("CAMUNDA_TENANT_ID", "acme"),
    ]);
    assert_eq!(both.default_tenant_id.as_deref(), Some("emea"));
    let builder = config(&[("CAMUNDA_DEFAULT_TENANT_ID", "emea")])
        .default_tenant_id("apac")
        .resolve()
        .unwrap();
    assert_eq!(builder.default_tenant_id.as_deref(), Some("apac"));
    let off = config(&[("CAMUNDA_DEFAULT_TENANT_ID", "emea")])
        .no_default_tenant()
        .resolve()
        .unwrap();
    assert_eq!(off.default_tenant_id, None);
    // The last builder call wins.
    let on_again = Config::new()
        .no_default_tenant()
        .default_tenant_id("apac")
        .resolve()
        .unwrap();
    assert_eq!(on_again.default_tenant_id.as_deref(), Some("apac"));
    let e = Config::new()
        .default_tenant_id("not a tenant")
        .resolve()
        .unwrap_err();
    assert!(
        matches!(&e, Error::InvalidValue { setting, .. } if setting == "Config::default_tenant_id"),
        "{e}"
    );
}

#[test]
fn retry_and_timeouts_from_variables() {
    let r = resolve(&[
        ("CAMUNDA_CONNECT_TIMEOUT_MS", "2500"),
        ("CAMUNDA_REQUEST_TIMEOUT_MS", "60000"),
        ("CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS", "3"),
        ("CAMUNDA_SDK_HTTP_RETRY_BASE_DELAY_MS", "50"),
        ("CAMUNDA_SDK_HTTP_RETRY_MAX_DELAY_MS", "800"),
        ("CAMUNDA_SDK_HTTP_RETRY_MAX_ELAPSED_MS", "4000"),
    ]);
    assert_eq!(r.connect_timeout, Duration::from_millis(2500));
    assert_eq!(r.request_timeout, Duration::from_secs(60));
    assert_eq!(
        r.retry,
        RetryPolicy::default()
            .max_attempts(3)
            .base_delay(Duration::from_millis(50))
            .max_delay(Duration::from_millis(800))
            .max_elapsed(Duration::from_secs(4))
    );
}

#[test]
fn token_cache_directory() {
    // Off unless asked for.
    let r = resolve(&[("HOME", "/home/u"), ("USERPROFILE", "C:\\Users\\u")]);
    assert_eq!(r.token_cache_dir, None);
    let r = config(&[("HOME", "/home/u"), ("USERPROFILE", "C:\\Users\\u")])
        .token_disk_cache(true)
        .resolve()
        .unwrap();
    assert_eq!(r.token_cache_dir, Some(PathBuf::from("/home/u/.camunda")));
    let r = config(&[("USERPROFILE", "/profile")])
        .token_disk_cache(true)
        .resolve()
        .unwrap();
    assert_eq!(r.token_cache_dir, Some(PathBuf::from("/profile/.camunda")));
    let r = resolve(&[
        ("HOME", "/home/u"),
        ("CAMUNDA_TOKEN_CACHE_DIR", "/var/cache/c8"),
    ]);
    assert_eq!(r.token_cache_dir, Some(PathBuf::from("/var/cache/c8")));
    let r = resolve(&[
        ("HOME", "/home/u"),
        ("CAMUNDA_TOKEN_CACHE_DIR", "/var/cache/c8"),
        ("CAMUNDA_TOKEN_DISK_CACHE_DISABLE", "TRUE"),
    ]);
    assert_eq!(r.token_cache_dir, None);
    let r = config(&[("HOME", "/home/u")])
        .token_disk_cache(false)
        .resolve()
        .unwrap();
    assert_eq!(r.token_cache_dir, None);
}

#[test]
fn body_format_scope_and_audiences_from_variables() {
    let r = resolve(&[
        ("CAMUNDA_CLIENT_ID", "id"),
        ("CAMUNDA_CLIENT_SECRET", "s"),
        ("CAMUNDA_OAUTH_BODY_FORMAT", "json"),
        ("CAMUNDA_TOKEN_SCOPE", "openid"),
        ("CAMUNDA_OPERATE_OAUTH_AUDIENCE", "op-aud"),
        ("CAMUNDA_CONSOLE_OAUTH_AUDIENCE", "con-aud"),
        ("CAMUNDA_CONSOLE_CLIENT_ID", "cid"),
        ("CAMUNDA_CONSOLE_CLIENT_SECRET", "cs"),
    ]);
    let o = oauth(&r.operate.auth);
    assert_eq!(o.body_format, TokenBodyFormat::Json);
    assert_eq!(o.scope.as_deref(), Some("openid"));
    assert_eq!(o.audience, "op-aud");
    let a = oauth(&r.admin.auth);
    assert_eq!(a.audience, "con-aud");
    assert_eq!(a.scope, None);
    assert_eq!(a.body_format, TokenBodyFormat::Json);
}

#[test]
fn blank_variables_count_as_unset() {
    let r = resolve(&[
        ("ZEEBE_CLIENT_ID", ""),
        ("ZEEBE_CLIENT_SECRET", "  "),
        ("ZEEBE_REST_ADDRESS", " https://zeebe.example "),
    ]);
    assert_eq!(r.auth_strategy, AuthStrategy::None);
    assert_eq!(
        r.zeebe.api_base().as_deref(),
        Some("https://zeebe.example/v1")
    );
}

#[test]
fn debug_output_never_shows_a_secret() {
    let secrets = [
        "s3cret-camunda",
        "s3cret-zeebe",
        "s3cret-console",
        "s3cret-basic",
        "s3cret-bearer",
        "s3cret-cookie",
    ];
    let vars = [
        ("CAMUNDA_CLIENT_ID", "id"),
        ("CAMUNDA_CLIENT_SECRET", secrets[0]),
        ("ZEEBE_CLIENT_ID", "zid"),
        ("ZEEBE_CLIENT_SECRET", secrets[1]),
        ("CAMUNDA_CONSOLE_CLIENT_ID", "cid"),
        ("CAMUNDA_CONSOLE_CLIENT_SECRET", secrets[2]),
        ("CAMUNDA_BASIC_AUTH_USERNAME", "u"),
        ("CAMUNDA_BASIC_AUTH_PASSWORD", secrets[3]),
        ("CAMUNDA_OAUTH_TOKEN", secrets[4]),
        ("CAMUNDA_COOKIE_AUTH_USERNAME", "demo"),
        ("CAMUNDA_COOKIE_AUTH_PASSWORD", secrets[5]),
        ("CAMUNDA_OPERATE_BASE_URL", "http://localhost:8081"),
        ("ZEEBE_REST_ADDRESS", "http://localhost:8080"),
    ];
    let check = |shown: String| {
        for s in secrets {
            assert!(!shown.contains(s), "{s} leaked: {shown}");
        }
        for s in ["b-secret", "b-password", "b-token", "b-cookie"] {
            assert!(!shown.contains(s), "{s} leaked: {shown}");
        }
    };
    let cfg = config(&vars)
        .basic_auth("bu", "b-password")
        .bearer_token("b-token")
        .cookie_credentials("cu", "b-cookie")
        .console_credentials("ci", "b-secret");
    check(format!("{cfg:?}"));
    check(format!("{cfg:#?}"));
    // Every strategy's resolved form, and the conflict error.
    check(format!("{:?}", cfg.clone().resolve()));
    for strategy in [
        AuthStrategy::OAuth,
        AuthStrategy::Basic,
        AuthStrategy::Bearer,
        AuthStrategy::Cookie,
        AuthStrategy::None,
    ] {
        let r = cfg.clone().auth_strategy(strategy).resolve().unwrap();
        check(format!("{r:?}"));
        check(format!("{r:#?}"));
    }
    // The secrets are there, only hidden.
    let r = cfg.auth_strategy(AuthStrategy::Bearer).resolve().unwrap();
    assert_eq!(
        r.zeebe.auth,
        Some(AuthMethod::Bearer(Secret::new("b-token")))
    );
}

#[test]
fn from_env_reads_without_panicking() {
    // Whatever this machine's environment holds, reading it must not panic;
    // its content is not asserted (tests never change the process env).
    let _ = Config::from_env();
}

/// `Debug` of every configuration type shows URLs without user-info, query
/// or fragment, wherever they came from (variables, builder methods, values
/// built by hand); so do the errors that refuse such URLs.
#[test]
fn debug_shows_urls_without_credentials_query_or_fragment() {
    let leaky =
        |host: &str| format!("https://user:pw-leak@{host}/path?client_secret=qs-leak#frag-leak");
    let loopback = |port: u16| {
        format!("http://user:pw-leak@127.0.0.1:{port}/x?client_secret=qs-leak#frag-leak")
    };
    let (oauth_url, zeebe, operate, console, cookie) = (
        leaky("login.example"),
        loopback(8080),
        loopback(8081),
        leaky("console.example"),
        loopback(8082),
    );
    let check = |shown: String| {
        for s in ["pw-leak", "qs-leak", "frag-leak", "client_secret="] {
            assert!(!shown.contains(s), "{s} shown: {shown}");
        }
    };
    let vars = [
        ("CAMUNDA_OAUTH_URL", oauth_url.as_str()),
        ("ZEEBE_AUTHORIZATION_SERVER_URL", oauth_url.as_str()),
        ("ZEEBE_REST_ADDRESS", zeebe.as_str()),
        ("CAMUNDA_OPERATE_BASE_URL", operate.as_str()),
        ("CAMUNDA_CONSOLE_BASE_URL", console.as_str()),
        ("CAMUNDA_COOKIE_AUTH_URL", cookie.as_str()),
        ("CAMUNDA_CLIENT_ID", "id"),
        ("CAMUNDA_CLIENT_SECRET", "secret"),
    ];
    let from_builder = Config::new()
        .oauth_url(&oauth_url)
        .zeebe_url(&zeebe)
        .operate_url(&operate)
        .console_url(&console)
        .cookie_auth_url(&cookie)
        .client_credentials("id", "secret");
    for cfg in [config(&vars), from_builder] {
        check(format!("{cfg:?}"));
        check(format!("{cfg:#?}"));
        let error = cfg.resolve().unwrap_err();
        check(format!("{error} {error:?}"));
    }
    // The address itself is still shown.
    let shown = format!("{:?}", config(&vars));
    assert!(shown.contains("login.example/path"), "{shown}");

    // Values built by hand, and what is built from them.
    let token_url: url::Url = oauth_url.parse().unwrap();
    let credentials = ClientCredentials {
        token_url: token_url.clone(),
        client_id: "id".into(),
        client_secret: "secret".into(),
        audience: "zeebe.camunda.io".into(),
        scope: None,
        body_format: TokenBodyFormat::Form,
    };
    check(format!("{credentials:?}"));
    check(format!("{:?}", AuthMethod::OAuth(credentials.clone())));
    let login = AuthMethod::Cookie {
        login_url: token_url.clone(),
        username: "demo".into(),
        password: "demo".into(),
    };
    check(format!("{login:?}"));
    let cache = camunda8::auth::TokenCache::builder().build().unwrap();
    let source = cache.source(credentials);
    check(format!("{source:?} {cache:?}"));
    let session = camunda8::auth::CookieSession::new(
        reqwest::Client::new(),
        token_url,
        "demo".into(),
        "demo".into(),
    );
    check(format!("{session:?}"));
}

/// Steps of the resolution no other test reaches: the exact-address switch
/// read from its variable, and a cookie login for an API without an address
/// (nothing to derive the login endpoint from).
#[test]
fn exact_orchestration_address_and_cookie_login_without_an_address() {
    let r = resolve(&[
        ("CAMUNDA_REST_ADDRESS", "https://gw.example.com/prefix"),
        ("CAMUNDA_REST_ADDRESS_EXACT", "true"),
        ("CAMUNDA_COOKIE_AUTH_USERNAME", "demo"),
        ("CAMUNDA_COOKIE_AUTH_PASSWORD", "pw"),
    ]);
    assert!(r.orchestration.exact);
    assert_eq!(
        r.orchestration.api_base().as_deref(),
        Some("https://gw.example.com/prefix")
    );
    match &r.orchestration.auth {
        Some(AuthMethod::Cookie { login_url, .. }) => {
            assert_eq!(
                login_url.as_str(),
                "https://gw.example.com/prefix/api/login"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(r.operate.base_url, None);
    assert_eq!(r.operate.auth, None);
    assert_names(
        &r.operate.require_auth().unwrap_err(),
        &["CAMUNDA_COOKIE_AUTH_URL"],
    );

    let e = resolve_err(&[
        ("CAMUNDA_REST_ADDRESS", "https://gw.example.com/prefix"),
        ("CAMUNDA_REST_ADDRESS_EXACT", "perhaps"),
    ]);
    assert_names(&e, &["CAMUNDA_REST_ADDRESS_EXACT"]);
}
