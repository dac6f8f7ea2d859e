using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Distill.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ExampleSplitIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_examples_dataset_version_id_split_ordinal",
                table: "examples",
                columns: new[] { "dataset_version_id", "split", "ordinal" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_examples_dataset_version_id_split_ordinal",
                table: "examples");
        }
    }
}
