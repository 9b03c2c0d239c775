// TEMPORARY STUB replaced by the real module.
pub fn conversation_folder(uuid: &str, name: &str, _created_at: Option<&str>) -> String { format!("{name} ({uuid})") }
pub fn artifact_file_name(title: &str, _kind: &str, _language: Option<&str>, _content: &str) -> String { title.to_owned() }
pub fn file_path_components(path: &str) -> Vec<String> { vec![path.to_owned()] }
pub fn version_file_name(file_name: &str, version: usize) -> String { format!("{file_name}.v{version}") }
#[derive(Default)]
pub struct NameAllocator;
impl NameAllocator { pub fn new() -> Self { Self } pub fn allocate(&mut self, wanted: &str) -> String { wanted.to_owned() } pub fn reserve(&mut self, _name: &str) -> bool { true } }
