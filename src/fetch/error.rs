//! The ways a fetch can fail, each in words that name the URL and what to do next.

/// An error that made a URL unreadable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("{url} is not a valid link: {reason}")]
    InvalidUrl { url: String, reason: String },

    #[error(
        "the base URL {base} is invalid: {reason}. Fix ARTIFACTOR_BASE_URL or base_url in the \
         settings file"
    )]
    InvalidBaseUrl { base: String, reason: String },

    #[error("{url} uses the {scheme} scheme; only http and https links can be fetched")]
    UnsupportedScheme { url: String, scheme: String },

    #[error(
        "{url} is a chat link, which only opens for its owner once signed in. Share the chat \
         (Share, then Copy link) and pass the share link, or save the conversation's JSON from \
         the browser and pass that file"
    )]
    ChatLink { url: String },

    // NOTE: the advice names the command line even where the window shows it.
    #[error(
        "{url}: {host} refused a request that did not come from a browser (HTTP {status} with \
         {page}). Open {api_url} in a browser where you are signed in to Claude, save the page \
         as a .json file, then pass that file: artifactor extract saved.json"
    )]
    Refused {
        url: String,
        host: String,
        status: u16,
        /// The page returned instead of JSON: "a challenge page" or "a login page".
        page: &'static str,
        /// The address whose JSON the user can save from the browser.
        api_url: String,
    },

    #[error(
        "{url} was not found (HTTP 404): the link may have been deleted or made private. \
         Check that it opens in a browser"
    )]
    NotFound { url: String },

    #[error(
        "{url} returned a web page instead of JSON or a zip archive. Pass the address of the \
         file itself, or save the file from the browser and pass it"
    )]
    WebPage { url: String },

    #[error("{url}: the server answered HTTP {status}. Check that the link opens in a browser")]
    Status { url: String, status: u16 },

    #[error(
        "{url}: gave up after {attempts} attempts; the last one failed with: {reason}. Try again later"
    )]
    GaveUp {
        url: String,
        attempts: u32,
        reason: String,
    },

    #[error(
        "{url}: the server asked to wait {seconds} s before retrying, longer than the {max} s \
         artifactor waits. Try again later"
    )]
    RetryTooLate { url: String, seconds: u64, max: u64 },

    #[error(
        "{url}: no complete response within {seconds} s. Check the network, or allow more time \
         with --timeout"
    )]
    TimedOut { url: String, seconds: u64 },

    #[error(
        "{url}: the response is larger than the {limit_mib} MiB limit. Download it in a browser \
         and pass the file, or raise the limit with --max-download"
    )]
    TooLarge { url: String, limit_mib: u64 },

    #[error("{url}: {reason}")]
    Redirect { url: String, reason: String },

    #[error("{url}: {reason}. Check the link and the network")]
    Request { url: String, reason: String },

    #[error("cannot set up the HTTP client: {0}")]
    Client(String),

    #[error("{url}: cancelled")]
    Cancelled { url: String },
}
