//! The node's deconflictor: its matching key and weights, as configured.

use anyhow::Context as _;
use dokaz_deconflict::Deconflictor;
use dokaz_match::weights::{Weights, WeightsFile};

use crate::node::Node;

/// Reads a weights file written by `dokaz match calibrate`.
pub fn read_weights(path: &std::path::Path) -> anyhow::Result<Weights> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the weights file {}", path.display()))?;
    let file: WeightsFile = toml::from_str(&text)
        .with_context(|| format!("{} is not a weights file", path.display()))?;
    Weights::from_file(&file).with_context(|| format!("in {}", path.display()))
}

/// The weights the node uses: its `matching.weights_file`, else the built-in ones.
pub fn node_weights(node: &Node) -> anyhow::Result<Weights> {
    let file = &node.config.matching.weights_file;
    if file.as_os_str().is_empty() {
        Ok(Weights::default())
    } else {
        read_weights(&node.data_dir.join(file))
    }
}

/// The node's matching key, made on first use.
pub fn node_key(node: &Node) -> anyhow::Result<Vec<u8>> {
    Ok(dokaz_deconflict::key::load_or_create(
        &node.data_dir.join(&node.config.matching.key_file),
    )?)
}

pub fn deconflictor(node: &Node) -> anyhow::Result<Deconflictor<'_>> {
    Ok(Deconflictor::new(
        node.store.as_ref(),
        node_weights(node)?,
        &node_key(node)?,
    ))
}
