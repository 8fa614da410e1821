//! What readers ask for again and again, kept in memory: who is behind a token or a session,
//! whether anonymous reading is on, the names and colours of domains and teams, and the
//! explorer's laid-out pictures. Readers of a catalog vastly outnumber writers, and every
//! request with a token used to look the token up.
//!
//! Every entry remembers the store's generation at the moment its reading *started*; it is used
//! only while the generation is unchanged (any write this process commits, or any change another
//! instance announces, advances it) and for at most [`MAX_AGE`], which bounds what no write
//! announces (a session expiring, a writer in another process on the same SQLite file).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::actor::Actor;
use crate::directory::Names;
use crate::graph::explore::Picture;

/// The longest a remembered reading is used, whatever the generation says.
pub const MAX_AGE: Duration = Duration::from_secs(10);

/// How many actors are remembered (tokens and sessions together).
const ACTORS: usize = 10_000;

/// How many explorer pictures are remembered (a thousand nodes take about half a megabyte).
const PICTURES: usize = 64;

#[derive(Clone, Debug)]
struct Remembered<T> {
    generation: u64,
    at: Instant,
    value: T,
}

impl<T: Clone> Remembered<T> {
    fn current(&self, generation: u64) -> Option<T> {
        (self.generation == generation && self.at.elapsed() < MAX_AGE).then(|| self.value.clone())
    }
}

/// The caches of one process, shared by every clone of the workbench.
#[derive(Debug)]
pub(crate) struct Reads {
    /// By `t:<token hash>` or `s:<session hash>`; only secrets that were valid are remembered.
    actors: quick_cache::sync::Cache<String, Remembered<Actor>>,
    anonymous_read: Mutex<Option<Remembered<bool>>>,
    names: Mutex<Option<Remembered<Arc<Names>>>>,
    /// The explorer's pictures by query, with the generation they were laid out at. A picture
    /// is a function of the graph and the query alone, so it is used for as long as the
    /// generation holds, however old: an expand grows the picture on screen from it.
    pictures: quick_cache::sync::Cache<String, (u64, Arc<Picture>)>,
}

impl Default for Reads {
    fn default() -> Reads {
        Reads {
            actors: quick_cache::sync::Cache::new(ACTORS),
            anonymous_read: Mutex::new(None),
            names: Mutex::new(None),
            pictures: quick_cache::sync::Cache::new(PICTURES),
        }
    }
}

impl Reads {
    pub(crate) fn actor(&self, key: &str, generation: u64) -> Option<Actor> {
        self.actors.get(key)?.current(generation)
    }

    /// Remembers an actor read at `generation` (read before the lookup began).
    pub(crate) fn remember_actor(&self, key: String, generation: u64, actor: Actor) {
        self.actors.insert(
            key,
            Remembered {
                generation,
                at: Instant::now(),
                value: actor,
            },
        );
    }

    pub(crate) fn anonymous_read(&self, generation: u64) -> Option<bool> {
        recall(&self.anonymous_read, generation)
    }

    pub(crate) fn remember_anonymous_read(&self, generation: u64, value: bool) {
        remember(&self.anonymous_read, generation, value);
    }

    pub(crate) fn names(&self, generation: u64) -> Option<Arc<Names>> {
        recall(&self.names, generation)
    }

    pub(crate) fn remember_names(&self, generation: u64, names: Arc<Names>) {
        remember(&self.names, generation, names);
    }

    pub(crate) fn picture(&self, key: &str, generation: u64) -> Option<Arc<Picture>> {
        self.pictures
            .get(key)
            .filter(|(at, _)| *at == generation)
            .map(|(_, p)| p)
    }

    pub(crate) fn remember_picture(&self, key: String, generation: u64, picture: Arc<Picture>) {
        self.pictures.insert(key, (generation, picture));
    }
}

fn recall<T: Clone>(slot: &Mutex<Option<Remembered<T>>>, generation: u64) -> Option<T> {
    slot.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()?
        .current(generation)
}

fn remember<T>(slot: &Mutex<Option<Remembered<T>>>, generation: u64, value: T) {
    *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(Remembered {
        generation,
        at: Instant::now(),
        value,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_used_only_at_the_generation_it_was_read_at() {
        let reads = Reads::default();
        reads.remember_actor("t:x".into(), 7, Actor::anonymous(true));
        assert_eq!(reads.actor("t:x", 7), Some(Actor::anonymous(true)));
        assert_eq!(reads.actor("t:x", 8), None);
        assert_eq!(reads.actor("t:y", 7), None);
        reads.remember_anonymous_read(3, true);
        assert_eq!(reads.anonymous_read(3), Some(true));
        assert_eq!(reads.anonymous_read(4), None);
        reads.remember_names(5, Arc::new(Names::default()));
        assert!(reads.names(5).is_some());
        assert!(reads.names(6).is_none());
    }
}
