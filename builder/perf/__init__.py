"""Speed mechanisms kept apart from the conversion rules: the process pool that reads documents,
the garbage-collector pause of a build, jieba's data loader. The stages never import this
package's pool or collector; the pipeline and the incremental layer do. README's Performance
section says what each one buys, measured."""
