<?xml version="1.0" encoding="UTF-8"?>
<!-- Notes: a numbered call at the point of reference, the note at the end, linked both ways. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:teiedition:function"
  xmlns:p="urn:teiedition:private"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:mode name="endnote" on-no-match="shallow-skip"/>

  <xsl:template match="note">
    <xsl:variable name="id" select="f:note-id(.)"/>
    <a class="noteref" id="{$id}-ref" href="#{$id}" role="doc-noteref"
       aria-label="Note {f:note-number(.)}" data-pagefind-ignore="">{f:note-number(.)}</a>
  </xsl:template>

  <!-- The endnotes of a text, in order; nothing when it has none. -->
  <xsl:template name="f:endnotes">
    <xsl:param name="scope" as="element()" select="."/>
    <xsl:variable name="notes" select="$scope//note[not(ancestor::note)]"/>
    <xsl:if test="$notes">
      <section class="endnotes" role="doc-endnotes" aria-labelledby="endnotes-heading">
        <h2 id="endnotes-heading">Notes</h2>
        <ol>
          <xsl:apply-templates select="$notes" mode="endnote"/>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template match="note" mode="endnote">
    <xsl:variable name="id" select="f:note-id(.)"/>
    <li id="{$id}" role="doc-endnote" value="{f:note-number(.)}">
      <xsl:if test="@type"><xsl:attribute name="class" select="'note-' || @type"/></xsl:if>
      <xsl:apply-templates/>
      <xsl:text> </xsl:text>
      <a class="backlink" href="#{$id}-ref" role="doc-backlink"
         aria-label="Back to note {f:note-number(.)} in the text">↩</a>
    </li>
  </xsl:template>
</xsl:stylesheet>
