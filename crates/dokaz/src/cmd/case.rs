//! `dokaz case list`: an agency's cases, with the references that give ERNs their middle
//! part and the working languages that decide "translation missing".

use std::process::ExitCode;

use dokaz_store::{Cursor, PageRequest};

use crate::node::Node;
use crate::{output, Global};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List cases, oldest first, a page at a time.
    List {
        /// Only this agency's cases (default: all).
        #[arg(long)]
        agency: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// The cursor printed after the previous page.
        #[arg(long)]
        after: Option<String>,
    },
}

pub async fn run(global: &Global, c: Command) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let Command::List {
        agency,
        limit,
        after,
    } = c;
    let result = async {
        let agency = match agency.as_deref() {
            Some(code) => Some(node.agency(Some(code)).await?.id),
            None => None,
        };
        let mut page = PageRequest::first(limit);
        if let Some(a) = after {
            page.after = Some(Cursor::decode(&a)?);
        }
        let p = node.store.list_cases(agency, page).await?;
        if global.json {
            output::json(&p)?;
            return Ok(ExitCode::SUCCESS);
        }
        let rows: Vec<Vec<String>> = p
            .items
            .iter()
            .map(|c| {
                vec![
                    c.reference.clone(),
                    c.working_languages.join(","),
                    output::clip(&c.title, 60),
                ]
            })
            .collect();
        output::table(&["REFERENCE", "LANGUAGES", "TITLE"], &rows);
        if let Some(n) = p.next {
            println!("\nmore: --after {n}");
        }
        Ok(ExitCode::SUCCESS)
    }
    .await;
    node.store.close().await;
    result
}
